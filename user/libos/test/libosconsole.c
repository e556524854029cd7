// The console line discipline of user/libos/lib/linedisc.c: echo, editing, lines, ^D.
#include "test/runtime/harness.h"
#include "libos/lib/linedisc.h"
#include "libos/lib/lib.h"

static char echoed[512];
static int nechoed;

static void echo(void *arg, const char *s, int n) {
    for (int i = 0; i < n && nechoed < (int)sizeof echoed - 1; i++) echoed[nechoed++] = s[i];
    echoed[nechoed] = 0;
}

static struct linedisc ld;

static int type(const char *s) {
    int dump = 0;
    for (; *s; s++) dump |= ld_input(&ld, (uchar)*s, echo, 0) == LD_PROCDUMP;
    return dump;
}

static int readline(char *out, int n) {
    int r = ld_read(&ld, (uchar *)out, n);
    if (r >= 0) out[r] = 0;
    return r;
}

int main(void) {
    char line[200];
    CHECK(readline(line, 100) == -1);                  // nothing typed
    type("ls");
    CHECK(readline(line, 100) == -1);                  // a line is not done until its newline
    CHECK(lo_strcmp(echoed, "ls") == 0);
    type("x\b\x7f -l\r");                              // erase two, carriage return is newline
    CHECK(readline(line, 100) == 5 && lo_strcmp(line, "l -l\n") == 0);
    CHECK(lo_strcmp(echoed, "lsx\b \b\b \b -l\n") == 0);

    // A read returns at most one line, and at most n bytes of it.
    type("one\ntwo\n");
    CHECK(readline(line, 100) == 4 && lo_strcmp(line, "one\n") == 0);
    CHECK(readline(line, 2) == 2 && lo_strcmp(line, "tw") == 0);
    CHECK(readline(line, 100) == 2 && lo_strcmp(line, "o\n") == 0);

    // ^U erases the line being typed; ^D ends input: what came before it, then 0.
    nechoed = 0;
    type("junk\x15" "ab\x04");
    CHECK(lo_strcmp(echoed, "junk\b \b\b \b\b \b\b \bab\x04") == 0);
    CHECK(readline(line, 100) == 2 && lo_strcmp(line, "ab") == 0);
    CHECK(readline(line, 100) == 0);
    CHECK(readline(line, 100) == -1);
    type("\x04");
    CHECK(readline(line, 100) == 0);

    // ^P asks for a process listing and is not input; backspace at a line's start does nothing.
    CHECK(type("\x10") == 1);
    nechoed = 0;
    type("\b");
    CHECK(nechoed == 0);

    // The editing keys echo what xv6j.kernel.LineDiscipline's do (LineDisciplineTest).
    nechoed = 0;
    type("ac\x1b[D");
    type("b");
    CHECK(lo_strcmp(echoed, "ac\bbc\b") == 0);           // b inserted, c redrawn, back over it
    type("\r");
    CHECK(readline(line, 100) == 4 && lo_strcmp(line, "abc\n") == 0);
    nechoed = 0;
    type("abcd\x1b[D\x1b[D\x7f\x1b[3~\n");             // backspace, then Delete, in the middle
    CHECK(lo_strcmp(echoed, "abcd\b\b\bcd \b\b\bd \b\bd\n") == 0);
    CHECK(readline(line, 100) == 3 && lo_strcmp(line, "ad\n") == 0);
    nechoed = 0;
    type("xyz\x1b[H\x1b[4~\x1b[D\x15ok\n");          // Home, End, left, ^U
    CHECK(lo_strcmp(echoed, "xyz\b\b\bxyz\bz\b \b\b \b\b \bok\n") == 0);
    CHECK(readline(line, 100) == 3 && lo_strcmp(line, "ok\n") == 0);

    // History: the last lines, a repeated line kept once; Down past the newest gives back the draft.
    struct linedisc fresh = {0};
    ld = fresh;
    type("one\ntwo\ntwo\n");
    while (readline(line, 100) > 0) {}
    nechoed = 0;
    type("dr\x1b[A");
    CHECK(lo_strcmp(echoed, "dr\b \b\b \btwo") == 0);
    nechoed = 0;
    type("\x1b[A\x1b[A\x1b[B\x1b[B\n");
    CHECK(lo_strcmp(echoed, "\b \b\b \b\b \bone\b \b\b \b\b \btwo\b \b\b \b\b \bdr\n") == 0);
    CHECK(readline(line, 100) == 3 && lo_strcmp(line, "dr\n") == 0);

    // ^C: the line thrown away; at the prompt (nothing interrupted) an empty line for the shell.
    nechoed = 0;
    type("ab\x1b[D");
    CHECK(ld_input(&ld, 3, echo, 0) == LD_INTERRUPT);
    CHECK(ld_interrupted(&ld, 0, echo, 0) == LD_NONE);
    CHECK(lo_strcmp(echoed, "ab\bb^C\n") == 0);
    CHECK(readline(line, 100) == -1);
    type("x");
    CHECK(ld_interrupted(&ld, 1, echo, 0) == LD_COMMITTED);
    CHECK(readline(line, 100) == 1 && lo_strcmp(line, "\n") == 0);

    // Other control keys and unknown sequences are not typed; ESC x (Alt-x) is x.
    type("a\x07\x1bOP\x1b[5~\x1b[1;5Qb\x1bxc\n");
    CHECK(readline(line, 100) == 5 && lo_strcmp(line, "abxc\n") == 0);

    // A full buffer is committed even without a newline, and typing stops there.
    for (int i = 0; i < INPUT_BUF + 10; i++) ld_input(&ld, 'z', echo, 0);
    int total = 0, r;
    while ((r = ld_read(&ld, (uchar *)line, sizeof line)) > 0) total += r;
    CHECK(total == INPUT_BUF);
    return check_failures();
}
