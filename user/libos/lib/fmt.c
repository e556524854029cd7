// A small printf into a buffer, for the LibOS's own messages (the fault report, the file
// server's procdump and panics). It cannot use printf.c: that writes through write(),
// i.e. through the very LibOS that may be reporting its own trouble.
#include "lib.h"

struct sink {
    char *buf;
    int size;
    int n;
};

static void put(struct sink *s, char c) {
    if (s->n + 1 < s->size) s->buf[s->n++] = c;
}

static void putnum(struct sink *s, uint64 v, int base, int neg) {
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    if (neg) put(s, '-');
    while (i > 0) put(s, tmp[--i]);
}

int lo_vsnprintf(char *buf, int size, const char *fmt, lo_va_list ap) {
    struct sink s = {buf, size, 0};
    if (size <= 0) return 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&s, *fmt);
            continue;
        }
        fmt++;
        int lng = 0;
        while (*fmt == 'l') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            long v = lng ? lo_va_arg(ap, long) : lo_va_arg(ap, int);
            putnum(&s, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0);
            break;
        }
        case 'u':
            putnum(&s, lng ? lo_va_arg(ap, uint64) : lo_va_arg(ap, uint), 10, 0);
            break;
        case 'x':
            putnum(&s, lng ? lo_va_arg(ap, uint64) : lo_va_arg(ap, uint), 16, 0);
            break;
        case 'p':
            put(&s, '0');
            put(&s, 'x');
            putnum(&s, (uint64)lo_va_arg(ap, void *), 16, 0);
            break;
        case 's': {
            const char *str = lo_va_arg(ap, const char *);
            if (str == 0) str = "(null)";
            while (*str) put(&s, *str++);
            break;
        }
        case 'c':
            put(&s, (char)lo_va_arg(ap, int));
            break;
        case '%':
            put(&s, '%');
            break;
        case 0:
            fmt--;
            break;
        default:
            put(&s, '%');
            put(&s, *fmt);
        }
    }
    s.buf[s.n] = 0;
    return s.n;
}

int lo_snprintf(char *buf, int size, const char *fmt, ...) {
    lo_va_list ap;
    lo_va_start(ap, fmt);
    int n = lo_vsnprintf(buf, size, fmt, ap);
    lo_va_end(ap);
    return n;
}
