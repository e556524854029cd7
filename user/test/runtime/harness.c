// The harness runtime: the two system calls the test harness kernel offers,
// and the few library functions C code needs without a libc.
#include "harness.h"

long write(int fd, const void *buf, long n) {
    register long a0 asm("a0") = fd;
    register long a1 asm("a1") = (long)buf;
    register long a2 asm("a2") = n;
    register long a7 asm("a7") = SYS_write;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

void exit(int code) {
    register long a0 asm("a0") = code;
    register long a7 asm("a7") = SYS_exit;
    asm volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
    for (;;) {}
}

void *memset(void *dst, int c, unsigned long n) {
    unsigned char *d = dst;
    while (n-- > 0) *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n-- > 0) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, unsigned long n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (s < d && s + n > d) {
        d += n;
        s += n;
        while (n-- > 0) *--d = *--s;
    } else {
        while (n-- > 0) *d++ = *s++;
    }
    return dst;
}

unsigned long strlen(const char *s) {
    unsigned long n = 0;
    while (s[n]) n++;
    return n;
}

void puts(const char *s) { write(1, s, (long)strlen(s)); }

void putdec(long v) {
    char buf[24];
    int i = sizeof buf;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    do { buf[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) buf[--i] = '-';
    write(1, buf + i, (long)sizeof buf - i);
}

void puthex(unsigned long v) {
    char buf[18];
    int i = sizeof buf;
    do { buf[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    buf[--i] = 'x';
    buf[--i] = '0';
    write(1, buf + i, (long)sizeof buf - i);
}

static int failures;

void check(int ok, const char *what, long line) {
    if (!ok) {
        failures++;
        puts("FAIL ");
        puts(what);
        puts(" at line ");
        putdec(line);
        puts("\n");
    }
}

void expect(unsigned long got, unsigned long want, const char *what, long line) {
    check(got == want, what, line);
    if (got != want) {
        puts("  got ");
        puthex(got);
        puts(", want ");
        puthex(want);
        puts("\n");
    }
}

int check_failures(void) { return failures; }
