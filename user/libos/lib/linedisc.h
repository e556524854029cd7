// The console's line discipline, as the xv6 kernel's console driver has it: typed
// characters are echoed and collected into lines; backspace (^H or DEL) erases a
// character, ^U the line, ^D ends the input (a read then returns 0), ^P asks for a
// process listing; a read returns at most one line. kernel-exo gives raw bytes, so this
// is the LibOS's; the file server keeps the one instance, which makes typed input
// shared by every process, as it is on xv6. Pure: echo goes through a callback.
#pragma once

#include "types.h"

#define INPUT_BUF 128

struct linedisc {
    uchar buf[INPUT_BUF];
    uint r;     // next byte a read takes
    uint w;     // end of the committed input (whole lines, ^D, or a full buffer)
    uint e;     // end of what has been typed (the line being edited)
};

typedef void (*ld_echo_fn)(void *arg, const char *s, int n);

#define LD_PROCDUMP 1   // ld_input's result for ^P

// One typed character. Echoes through echo(arg, ...). Returns LD_PROCDUMP for ^P, else 0.
int ld_input(struct linedisc *ld, int c, ld_echo_fn echo, void *arg);

// Takes up to n bytes of committed input, stopping after a newline or before a ^D
// (which the next read then sees, and returns 0 for). Returns the count, or -1 if
// nothing is committed yet.
int ld_read(struct linedisc *ld, uchar *dst, int n);
