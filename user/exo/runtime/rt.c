// The runtime's start, printing, checks and string functions.
#include "rt.h"

#include <stdarg.h>

struct exo_bootinfo *rt_boot;

void rt_start(int argc, char **argv, struct exo_bootinfo *boot) {
    rt_boot = boot;
    exit(main(argc, argv, boot));
}

void exit(int status) {
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)status);
    for (;;) {}
}

// ---- memory ----

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n-- > 0) *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n-- > 0) *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n > 0; n--, x++, y++) {
        if (*x != *y) return *x - *y;
    }
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

// ---- printing ----

struct out {
    char buf[256];
    int n;
};

static void flush(struct out *o) {
    if (o->n > 0) exo_cons_write(EXO_BOOT_CONSOLE, o->buf, o->n);
    o->n = 0;
}

static void put(struct out *o, char c) {
    if (o->n == sizeof o->buf) flush(o);
    o->buf[o->n++] = c;
}

static void putnum(struct out *o, unsigned long v, int base, int negative) {
    char digits[24];
    int i = 0;
    do {
        digits[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative) put(o, '-');
    while (i > 0) put(o, digits[--i]);
}

static void format(struct out *o, const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(o, *fmt);
            continue;
        }
        int islong = 0;
        if (fmt[1] == 'l') {
            islong = 1;
            fmt++;
        }
        switch (*++fmt) {
            case 'd': {
                long v = islong ? va_arg(ap, long) : va_arg(ap, int);
                putnum(o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0);
                break;
            }
            case 'u':
                putnum(o, islong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 10, 0);
                break;
            case 'x':
                putnum(o, islong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 16, 0);
                break;
            case 'p':
                put(o, '0');
                put(o, 'x');
                putnum(o, (unsigned long)va_arg(ap, void *), 16, 0);
                break;
            case 's': {
                const char *s = va_arg(ap, const char *);
                for (s = s ? s : "(null)"; *s; s++) put(o, *s);
                break;
            }
            case 'c':
                put(o, (char)va_arg(ap, int));
                break;
            case '%':
                put(o, '%');
                break;
            case 0:
                return;
            default:
                put(o, '%');
                put(o, *fmt);
        }
    }
}

int printf(const char *fmt, ...) {
    struct out o;
    o.n = 0;
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    int n = o.n;
    flush(&o);
    return n;
}

void panic(const char *fmt, ...) {
    struct out o;
    o.n = 0;
    const char *p = "panic: ";
    while (*p) put(&o, *p++);
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    put(&o, '\n');
    flush(&o);
    exit(-1);
}

// ---- checks ----

int rt_checks;
static int failures;

int rt_expect(const char *what, long got, long want, int line) {
    rt_checks++;
    if (got == want) return 1;
    failures++;
    printf("FAIL %s = %ld, want %ld (line %d)\n", what, got, want, line);
    return 0;
}

int rt_failures(void) {
    return failures;
}

// ---- waiting ----

exo_u64 rt_time(void) {
    exo_u64 t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

void rt_wait_bound(exo_u64 since, const char *what, int line) {
    exo_u64 waited = (rt_time() - since) / RT_TIME_PER_TICK;
    if (waited < RT_WAIT_TICKS) return;
    printf("FAIL waited %lu ticks for %s (line %d)\n", waited, what, line);
    exit(1);
}
