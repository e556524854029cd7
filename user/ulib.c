// The small C library of user programs: the entry point, strings and memory, stat, atoi
// and gets. Everything here is ordinary C over the system calls of user.h, so the same
// code serves both kernels.
#include "user.h"

int main(int argc, char **argv);

// Where exec starts a program: a0 = argc, a1 = argv, as main takes them. Returning from
// main is exit(status). Weak, so a LibOS that must set itself up before main can bring its
// own _start. Naked, so that its first instruction can say that no frame lies above it (ra
// undefined): gdb stops there first (make qemu-gdb), and its backtrace would otherwise go
// on to the return address 0, this very function, and call the stack corrupt.
__attribute__((weak, naked, section(".text.start"))) void _start(void) {
    __asm__(".cfi_undefined ra\n"
            "  call main\n"
            "  call exit\n");
}

// Word-sized accesses that the compiler may not assume about aliasing.
typedef uint64 __attribute__((may_alias)) word;

// ---- Strings -------------------------------------------------------------------------

char *strcpy(char *dst, const char *src) {
    char *d = dst;
    while ((*d++ = *src++) != 0) {}
    return dst;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (uchar)*a - (uchar)*b;
}

int strncmp(const char *a, const char *b, uint n) {
    for (; n > 0; n--, a++, b++) {
        if (*a != *b || *a == 0) return (uchar)*a - (uchar)*b;
    }
    return 0;
}

uint strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return p - s;
}

char *strchr(const char *s, char c) {
    for (; *s; s++) {
        if (*s == c) return (char *)s;
    }
    return 0;
}

int atoi(const char *s) {
    int neg = 0, n = 0;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return neg ? -n : n;
}

// Whether s is a count as programs take them: one or more decimal digits, nothing else
// (atoi reads "x" as 0, so a program checks first and says how it is used).
int isnum(const char *s) {
    if (*s == 0) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
    }
    return 1;
}

// ---- Memory -----------------------------------------------------------------------------
// A word at a time where both ends allow it: these run on an emulator, where every
// instruction saved counts.

void *memset(void *dst, int c, uint n) {
    uchar *d = dst;
    while (n > 0 && ((uint64)d & 7)) {
        *d++ = c;
        n--;
    }
    word w = (uchar)c * 0x0101010101010101UL;
    for (; n >= 8; n -= 8, d += 8) *(word *)d = w;
    while (n-- > 0) *d++ = c;
    return dst;
}

void *memmove(void *dst, const void *src, int n) {
    uchar *d = dst;
    const uchar *s = src;
    if (n <= 0 || d == s) return dst;
    int aligned = (((uint64)d | (uint64)s) & 7) == 0;
    if (d < s || d >= s + n) {
        if (aligned) {
            for (; n >= 8; n -= 8, d += 8, s += 8) *(word *)d = *(const word *)s;
        }
        while (n-- > 0) *d++ = *s++;
    } else {
        // Overlapping with dst above src: copy from the end down.
        d += n;
        s += n;
        if (aligned) {
            for (; n >= 8; n -= 8) {
                d -= 8;
                s -= 8;
                *(word *)d = *(const word *)s;
            }
        }
        while (n-- > 0) *--d = *--s;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, uint n) {
    uchar *d = dst;
    const uchar *s = src;
    if ((((uint64)d | (uint64)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8) *(word *)d = *(const word *)s;
    }
    while (n-- > 0) *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, uint n) {
    const uchar *p = a, *q = b;
    for (; n > 0; n--, p++, q++) {
        if (*p != *q) return *p - *q;
    }
    return 0;
}

// ---- Files ------------------------------------------------------------------------------

int stat(const char *path, struct stat *st) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}

// Reads one line from fd 0, a byte at a time so nothing past the newline is consumed
// (the rest of the input belongs to whoever reads next). Keeps the newline, stops at
// max-1 bytes or end of file, and always NUL-terminates.
char *gets(char *buf, int max) {
    int i = 0;
    while (i + 1 < max) {
        char c;
        if (read(0, &c, 1) != 1) break;
        buf[i++] = c;
        if (c == '\n' || c == '\r') break;
    }
    buf[i] = 0;
    return buf;
}
