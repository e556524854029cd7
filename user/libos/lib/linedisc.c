// The console line discipline. See linedisc.h.
#include "linedisc.h"

#define CTRL(x) ((x) - '@')

static void echo_char(int c, ld_echo_fn echo, void *arg) {
    char ch = (char)c;
    echo(arg, &ch, 1);
}

static void erase(ld_echo_fn echo, void *arg) {
    echo(arg, "\b \b", 3);
}

int ld_input(struct linedisc *ld, int c, ld_echo_fn echo, void *arg) {
    switch (c) {
    case CTRL('P'):
        return LD_PROCDUMP;
    case CTRL('U'):
        while (ld->e != ld->w && ld->buf[(ld->e - 1) % INPUT_BUF] != '\n') {
            ld->e--;
            erase(echo, arg);
        }
        return 0;
    case CTRL('H'):
    case 0x7f:
        if (ld->e != ld->w) {
            ld->e--;
            erase(echo, arg);
        }
        return 0;
    default:
        if (c == 0 || ld->e - ld->r >= INPUT_BUF) return 0;
        if (c == '\r') c = '\n';
        echo_char(c, echo, arg);
        ld->buf[ld->e++ % INPUT_BUF] = (uchar)c;
        if (c == '\n' || c == CTRL('D') || ld->e - ld->r == INPUT_BUF) ld->w = ld->e;
        return 0;
    }
}

int ld_read(struct linedisc *ld, uchar *dst, int n) {
    if (ld->r == ld->w) return -1;
    int got = 0;
    while (got < n && ld->r != ld->w) {
        int c = ld->buf[ld->r++ % INPUT_BUF];
        if (c == CTRL('D')) {
            // Return what came before the ^D now; leave the ^D for the next read, which
            // returns 0: end of file.
            if (got > 0) ld->r--;
            break;
        }
        dst[got++] = (uchar)c;
        if (c == '\n') break;
    }
    return got;
}
