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
            // Pages are what the LibOS copies most (fork's stack page, copy-on-write
            // faults, exec's image, file data): eight words a turn, which the hart, one
            // instruction at a time, pays a third as many loop instructions for.
            for (; n >= 64; n -= 64, d += 64, s += 64) {
                lo_word *dw = (lo_word *)d;
                const lo_word *sw = (const lo_word *)s;
                lo_word w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
                lo_word w4 = sw[4], w5 = sw[5], w6 = sw[6], w7 = sw[7];
                dw[0] = w0; dw[1] = w1; dw[2] = w2; dw[3] = w3;
                dw[4] = w4; dw[5] = w5; dw[6] = w6; dw[7] = w7;
            }
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
    for (; n >= 64; n -= 64, d += 64) {  // eight words a turn, as lo_memmove
        lo_word *dw = (lo_word *)d;
        dw[0] = w; dw[1] = w; dw[2] = w; dw[3] = w;
        dw[4] = w; dw[5] = w; dw[6] = w; dw[7] = w;
    }
    for (; n >= 8; n -= 8, d += 8) *(lo_word *)d = w;
    while (n-- > 0) *d++ = (uchar)c;
    return dst;
}

int lo_next_nonzero(const volatile uint *a, int j, int n) {
    // The tables this walks (a page of the software page table, the 256 entries of a
    // directory of them) are mostly zeros, and fork and exec walk them whole: sixteen
    // entries (one aligned 64-byte line, eight words) per test where they are all zero, two
    // per test where a word is; one at a time only inside a word that is not.
    while (j < n) {
        uint64 at = (uint64)&a[j];
        if ((at & 63) == 0 && j + 16 <= n) {
            const volatile uint64 *l = (const volatile uint64 *)at;
            if ((l[0] | l[1] | l[2] | l[3] | l[4] | l[5] | l[6] | l[7]) == 0) {
                j += 16;
                continue;
            }
        }
        if ((at & 7) == 0 && j + 2 <= n && *(const volatile uint64 *)at == 0) {
            j += 2;
            continue;
        }
        if (a[j] != 0) return j;
        j++;
    }
    return n;
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
