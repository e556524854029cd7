// The console's line discipline, as the xv6 kernel's console driver has it
// (xv6j.kernel.LineDiscipline; the two behave alike): typed characters are echoed and
// collected into lines, and a read returns at most one line. xv6's keys: backspace (^H or
// DEL) erases a character, ^U the line, ^D ends the input (a read then returns 0), ^P asks
// for a process listing. And a shell's: left and right arrows, Home and End move the
// cursor, Delete erases under it, Up and Down walk through the last LD_HISTORY lines, ^C
// throws the line away and asks for an interrupt. kernel-exo gives raw bytes, so this is
// the LibOS's; the file server keeps the one instance, which makes typed input shared by
// every process, as it is on xv6. Pure: echo goes through a callback.
#pragma once

#include "types.h"

#define INPUT_BUF 128
#define LD_HISTORY 16

struct linedisc {
    uchar buf[INPUT_BUF];
    uint r;     // next byte a read takes
    uint w;     // end of the committed input (whole lines, ^D, or a full buffer)
    uint e;     // end of what has been typed (the line being edited)
    uint c;     // the cursor, w <= c <= e
    uchar hist[LD_HISTORY][INPUT_BUF];  // earlier lines, without their newlines
    uchar histlen[LD_HISTORY];
    uint lines;                         // lines ever kept: the last is hist[(lines-1) % LD_HISTORY]
    uint back;                          // walking the history: how far back (0: not walking)
    uchar draft[INPUT_BUF];             // the line being typed when the walk began
    uint draftlen;
    int esc;                            // escape sequence: 0 none, 1 ESC, 2 ESC [, 3 ESC O
    int escparam;
};

typedef void (*ld_echo_fn)(void *arg, const char *s, int n);

// ld_input's results
#define LD_NONE 0
#define LD_COMMITTED 1  // a line (or ^D, or a full buffer) is ready for readers
#define LD_PROCDUMP 2   // ^P
#define LD_INTERRUPT 3  // ^C: interrupt the foreground, then call ld_interrupted

// ^C: interrupts the foreground, and throws away the line and whatever waits behind it.
#define LD_CTRL_C ('C' - '@')

// Whether the buffer is full: nothing more can be typed until a reader takes some.
static inline int ld_full(const struct linedisc *ld) { return ld->e - ld->r >= INPUT_BUF; }

// One typed character. Echoes through echo(arg, ...). Returns one of LD_*.
int ld_input(struct linedisc *ld, int c, ld_echo_fn echo, void *arg);

// After ^C: the line being typed is thrown away; if nothing was interrupted (the shell
// was at its prompt), an empty line is committed too, so the reader prompts afresh.
// Returns LD_COMMITTED if it committed one, else LD_NONE.
int ld_interrupted(struct linedisc *ld, int nothing_interrupted, ld_echo_fn echo, void *arg);

// Takes up to n bytes of committed input, stopping after a newline or before a ^D
// (which the next read then sees, and returns 0 for). Returns the count, or -1 if
// nothing is committed yet.
int ld_read(struct linedisc *ld, uchar *dst, int n);
