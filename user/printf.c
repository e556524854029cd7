// Formatted output to a file descriptor: %d %u %x %p %s %c and %%, each integer
// conversion optionally long (%ld %lu %lx, and %lld etc.; a bare %l is xv6's %ld).
// A call's text is gathered in a buffer and written with as few write()s as it takes,
// so a line from one process is not interleaved byte by byte with another's.
#include "user.h"

struct out {
    int fd;
    int n;
    char buf[256];
};

static void flush(struct out *o) {
    if (o->n > 0) write(o->fd, o->buf, o->n);
    o->n = 0;
}

static void put(struct out *o, char c) {
    if (o->n == sizeof o->buf) flush(o);
    o->buf[o->n++] = c;
}

static void putstr(struct out *o, const char *s) {
    if (s == 0) s = "(null)";
    while (*s) put(o, *s++);
}

// Digits of v in base 10 or 16, most significant first.
static void putnum(struct out *o, uint64 v, int base, int negative) {
    static const char digits[] = "0123456789abcdef";
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (negative) put(o, '-');
    while (i > 0) put(o, tmp[--i]);
}

static void vformat(int fd, const char *fmt, va_list ap) {
    struct out o;   // buf is filled as we go: no need to clear it
    o.fd = fd;
    o.n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        int longs = 0;
        while (*f == 'l') {
            longs++;
            f++;
        }
        char c = *f;
        if (c == 0) {
            if (longs) c = 'd';     // a trailing bare %l
            else break;             // a lone % at the end: print nothing more
        } else if (longs && !strchr("dux", c)) {
            c = 'd';                // xv6's %l: the l stands alone, the next char is text
            f--;
        }
        switch (c) {
        case 'd': {
            int64 v = longs ? va_arg(ap, int64) : va_arg(ap, int);
            putnum(&o, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0);
            break;
        }
        case 'u':
            putnum(&o, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0);
            break;
        case 'x':
            putnum(&o, longs ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0);
            break;
        case 'p': {
            uint64 v = (uint64)va_arg(ap, void *);
            putstr(&o, "0x");
            for (int shift = 60; shift >= 0; shift -= 4) put(&o, "0123456789abcdef"[(v >> shift) & 15]);
            break;
        }
        case 's':
            putstr(&o, va_arg(ap, const char *));
            break;
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            // Unknown conversion: show it as written, so the mistake is visible.
            put(&o, '%');
            put(&o, c);
            break;
        }
        if (*f == 0) break;
    }
    flush(&o);
}

void vfprintf(int fd, const char *fmt, va_list ap) {
    vformat(fd, fmt, ap);
}

void fprintf(int fd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vformat(fd, fmt, ap);
    va_end(ap);
}

void printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vformat(1, fmt, ap);
    va_end(ap);
}
