// The console line discipline. See linedisc.h; the xv6 kernel's is
// xv6j.kernel.LineDiscipline, written the same way.
#include "linedisc.h"

#define CTRL(x) ((x) - '@')
#define ESC 0x1b
#define DEL 0x7f

struct out {
    ld_echo_fn fn;
    void *arg;
};

static uchar at(struct linedisc *ld, uint i) { return ld->buf[i % INPUT_BUF]; }
static void set(struct linedisc *ld, uint i, int v) { ld->buf[i % INPUT_BUF] = (uchar)v; }

static void put(struct out *o, int c) {
    char ch = (char)c;
    o->fn(o->arg, &ch, 1);
}

static void puts_(struct out *o, const char *s, int n) { o->fn(o->arg, s, n); }

// ---- moving and editing ----

static void left(struct linedisc *ld, struct out *o) {
    if (ld->c == ld->w) return;
    ld->c--;
    put(o, '\b');
}

static void right(struct linedisc *ld, struct out *o) {
    if (ld->c == ld->e) return;
    put(o, at(ld, ld->c++));
}

static void home(struct linedisc *ld, struct out *o) {
    while (ld->c != ld->w) left(ld, o);
}

static void to_end(struct linedisc *ld, struct out *o) {
    while (ld->c != ld->e) right(ld, o);
}

// Shows [c, e) again, then blanks and moves back over the cells: the cursor stays at c.
static void redraw_tail(struct linedisc *ld, struct out *o, int blanks) {
    for (uint i = ld->c; i != ld->e; i++) put(o, at(ld, i));
    for (int i = 0; i < blanks; i++) put(o, ' ');
    for (uint i = ld->c; i != ld->e + blanks; i++) put(o, '\b');
}

static void insert(struct linedisc *ld, struct out *o, int c) {
    for (uint i = ld->e; i != ld->c; i--) set(ld, i, at(ld, i - 1));
    set(ld, ld->c, c);
    ld->e++;
    put(o, c);
    ld->c++;
    redraw_tail(ld, o, 0);
}

// Deletes the byte under the cursor (Delete; backspace is a left, then this).
static void erase(struct linedisc *ld, struct out *o) {
    if (ld->c == ld->e) return;
    for (uint i = ld->c; i + 1 != ld->e; i++) set(ld, i, at(ld, i + 1));
    ld->e--;
    redraw_tail(ld, o, 1);
}

// ---- history ----

static void remember(struct linedisc *ld) {
    uint n = ld->e - ld->w;
    if (n == 0) return;
    if (ld->lines > 0) {
        uint last = (ld->lines - 1) % LD_HISTORY;
        int same = ld->histlen[last] == n;
        for (uint i = 0; same && i < n; i++) same = ld->hist[last][i] == at(ld, ld->w + i);
        if (same) return;
    }
    uint slot = ld->lines % LD_HISTORY;
    for (uint i = 0; i < n; i++) ld->hist[slot][i] = at(ld, ld->w + i);
    ld->histlen[slot] = (uchar)n;
    ld->lines++;
}

// The line being typed becomes text (as much as there is room for), cursor at its end.
static void replace_line(struct linedisc *ld, struct out *o, const uchar *text, uint n) {
    to_end(ld, o);
    for (; ld->e != ld->w; ld->e--) puts_(o, "\b \b", 3);
    for (uint i = 0; i < n && ld->e - ld->r < INPUT_BUF - 1; i++) {
        set(ld, ld->e++, text[i]);
        put(o, text[i]);
    }
    ld->c = ld->e;
}

static void up(struct linedisc *ld, struct out *o) {
    uint kept = ld->lines < LD_HISTORY ? ld->lines : LD_HISTORY;
    if (ld->back == kept) return;
    if (ld->back == 0) {
        ld->draftlen = ld->e - ld->w;
        for (uint i = 0; i < ld->draftlen; i++) ld->draft[i] = at(ld, ld->w + i);
    }
    ld->back++;
    uint slot = (ld->lines - ld->back) % LD_HISTORY;
    replace_line(ld, o, ld->hist[slot], ld->histlen[slot]);
}

static void down(struct linedisc *ld, struct out *o) {
    if (ld->back == 0) return;
    ld->back--;
    if (ld->back == 0) {
        replace_line(ld, o, ld->draft, ld->draftlen);
    } else {
        uint slot = (ld->lines - ld->back) % LD_HISTORY;
        replace_line(ld, o, ld->hist[slot], ld->histlen[slot]);
    }
}

static int escape(struct linedisc *ld, struct out *o, int c) {
    if (ld->esc == 1) {
        if (c == '[') {
            ld->esc = 2;
            ld->escparam = 0;
        } else if (c == 'O') {
            ld->esc = 3;
        } else {
            ld->esc = 0;    // ESC and a key (Alt-key): the key alone
            return ld_input(ld, c, o->fn, o->arg);
        }
        return LD_NONE;
    }
    if (ld->esc == 2 && c >= '0' && c <= '9') {
        if (ld->escparam < 1000) ld->escparam = ld->escparam * 10 + c - '0';
        return LD_NONE;
    }
    if (ld->esc == 2 && c < 0x40) return LD_NONE;   // ';' and other parameter bytes
    ld->esc = 0;
    switch (c) {
    case 'A': up(ld, o); break;
    case 'B': down(ld, o); break;
    case 'C': right(ld, o); break;
    case 'D': left(ld, o); break;
    case 'H': home(ld, o); break;
    case 'F': to_end(ld, o); break;
    case '~':
        if (ld->escparam == 1 || ld->escparam == 7) home(ld, o);
        else if (ld->escparam == 4 || ld->escparam == 8) to_end(ld, o);
        else if (ld->escparam == 3) erase(ld, o);
        break;
    default: break;     // a key this discipline does not know: ignored, not typed
    }
    return LD_NONE;
}

int ld_input(struct linedisc *ld, int c, ld_echo_fn echo, void *arg) {
    struct out o = {echo, arg};
    if (ld->esc != 0) return escape(ld, &o, c);
    if (c == ESC) {
        ld->esc = 1;
        return LD_NONE;
    }
    if (c == CTRL('P')) return LD_PROCDUMP;
    if (c == LD_CTRL_C) return LD_INTERRUPT;
    if (c == CTRL('U')) {
        to_end(ld, &o);
        for (; ld->e != ld->w; ld->e--) puts_(&o, "\b \b", 3);
        ld->c = ld->e;
        ld->back = 0;
        return LD_NONE;
    }
    if (c == CTRL('H') || c == DEL) {
        if (ld->c != ld->w) {
            left(ld, &o);
            erase(ld, &o);
        }
        ld->back = 0;
        return LD_NONE;
    }
    if (c == '\r') c = '\n';
    if (c == '\n' || c == CTRL('D')) {
        if (ld->e - ld->r >= INPUT_BUF) return LD_NONE;
        to_end(ld, &o);
        if (c == '\n') remember(ld);
        set(ld, ld->e++, c);
        put(&o, c);
        ld->c = ld->w = ld->e;
        ld->back = 0;
        return LD_COMMITTED;
    }
    if (c < ' ' && c != '\t') return LD_NONE;  // another control key: not part of a line
    if (ld->e - ld->r >= INPUT_BUF) return LD_NONE;
    insert(ld, &o, c);
    ld->back = 0;
    if (ld->e - ld->r == INPUT_BUF) {
        // A full buffer is committed, as xv6's is, so a reader can make room.
        to_end(ld, &o);
        ld->c = ld->w = ld->e;
        return LD_COMMITTED;
    }
    return LD_NONE;
}

int ld_interrupted(struct linedisc *ld, int nothing_interrupted, ld_echo_fn echo, void *arg) {
    struct out o = {echo, arg};
    to_end(ld, &o);
    puts_(&o, "^C\n", 3);
    ld->e = ld->c = ld->w;
    ld->back = 0;
    if (!nothing_interrupted || ld->e - ld->r >= INPUT_BUF) return LD_NONE;
    set(ld, ld->e++, '\n');
    ld->c = ld->w = ld->e;
    return LD_COMMITTED;
}

int ld_read(struct linedisc *ld, uchar *dst, int n) {
    if (ld->r == ld->w) return -1;
    int got = 0;
    while (got < n && ld->r != ld->w) {
        int c = at(ld, ld->r++);
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
