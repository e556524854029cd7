// Strings and memory for the LibOS's own code. A word at a time where both ends are
// aligned: this code runs on an emulator, where instructions are what cost.
#include "lib.h"

typedef uint64 __attribute__((may_alias)) lo_word;

void *lo_memmove(void *dst, const void *src, uint64 n) {
    uchar *d = dst;
    const uchar *s = src;
    if (n == 0 || d == s) return dst;
    int aligned = (((uint64)d | (uint64)s) & 7) == 0;
    if (d < s || d >= s + n) {
        if (aligned) {
            for (; n >= 8; n -= 8, d += 8, s += 8) *(lo_word *)d = *(const lo_word *)s;
        }
        while (n-- > 0) *d++ = *s++;
    } else {
        // dst overlaps src from above: copy from the end down.
        d += n;
        s += n;
        if (aligned) {
            for (; n >= 8; n -= 8) {
                d -= 8;
                s -= 8;
                *(lo_word *)d = *(const lo_word *)s;
            }
        }
        while (n-- > 0) *--d = *--s;
    }
    return dst;
}

void *lo_memset(void *dst, int c, uint64 n) {
    uchar *d = dst;
    while (n > 0 && ((uint64)d & 7)) {
        *d++ = (uchar)c;
        n--;
    }
    lo_word w = (uchar)c * 0x0101010101010101UL;
    for (; n >= 8; n -= 8, d += 8) *(lo_word *)d = w;
    while (n-- > 0) *d++ = (uchar)c;
    return dst;
}

int lo_memcmp(const void *a, const void *b, uint64 n) {
    const uchar *p = a, *q = b;
    for (; n > 0; n--, p++, q++) {
        if (*p != *q) return *p - *q;
    }
    return 0;
}

uint64 lo_strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return p - s;
}

int lo_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (uchar)*a - (uchar)*b;
}

char *lo_strlcpy(char *dst, const char *src, uint64 n) {
    uint64 i = 0;
    for (; i + 1 < n && src[i]; i++) dst[i] = src[i];
    dst[i] = 0;
    return dst;
}
