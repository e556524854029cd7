// grep pattern [file ...]: print the lines that match pattern.
//
// Patterns are xv6's small regular expressions: c matches the character c, . any
// character, x* any number of x (x a character or .), ^ at the start anchors the match
// to the start of the line and $ at the end to its end. \c is c taken literally.
#include "user.h"

#define MAXATOMS 256
#define MAXSTARS 24

// A pattern is compiled to a sequence of atoms, each one character position.
struct atom {
    char c;         // the character to match
    char any;       // matches any character (.)
    char star;      // repeated zero or more times
};

static struct atom atoms[MAXATOMS];
static int natoms;
static int anchor_start, anchor_end;

static void compile(const char *re) {
    int stars = 0;
    if (*re == '^') {
        anchor_start = 1;
        re++;
    }
    while (*re) {
        if (re[0] == '$' && re[1] == 0) {
            anchor_end = 1;
            break;
        }
        if (natoms == MAXATOMS) {
            fprintf(2, "grep: pattern too long\n");
            exit(1);
        }
        struct atom *a = &atoms[natoms++];
        if (*re == '\\' && re[1] != 0) {
            re++;
            a->c = *re;
        } else if (*re == '.') {
            a->any = 1;
        } else {
            a->c = *re;
        }
        re++;
        if (*re == '*') {
            // Each starred atom is a level of matchhere's recursion, on a one-page stack.
            if (++stars > MAXSTARS) {
                fprintf(2, "grep: more than %d * in the pattern\n", MAXSTARS);
                exit(1);
            }
            a->star = 1;
            re++;
        }
    }
}

static int fits(const struct atom *a, char c) { return c != 0 && (a->any || a->c == c); }

// Does the pattern from atom i on match text (from its start)?
static int matchhere(int i, const char *text) {
    for (; i < natoms; i++) {
        const struct atom *a = &atoms[i];
        if (a->star) {
            // Take as many as fit, then give them back one by one until the rest matches.
            const char *end = text;
            while (fits(a, *end)) end++;
            for (;;) {
                if (matchhere(i + 1, end)) return 1;
                if (end == text) return 0;
                end--;
            }
        }
        if (!fits(a, *text)) return 0;
        text++;
    }
    return !anchor_end || *text == 0;
}

static int match(const char *line) {
    if (anchor_start) return matchhere(0, line);
    do {
        if (matchhere(0, line)) return 1;
    } while (*line++ != 0);
    return 0;
}

static char buf[4096];

static void grep(int fd) {
    int have = 0, n;
    // Each read appends to what is left of the last; every complete line is tried.
    while ((n = read(fd, buf + have, sizeof buf - 1 - have)) > 0) {
        int line = 0;
        for (int i = have; i < have + n; i++) {
            if (buf[i] != '\n') continue;
            buf[i] = 0;
            if (match(buf + line)) {
                buf[i] = '\n';
                write(1, buf + line, i + 1 - line);
            }
            line = i + 1;
        }
        have += n - line;
        memmove(buf, buf + line, have);
        if (have == sizeof buf - 1) {
            // A line longer than the buffer: judge what we have of it as a line.
            buf[have] = 0;
            if (match(buf)) printf("%s\n", buf);
            have = 0;
        }
    }
    if (have > 0) {
        // A last line without a newline.
        buf[have] = 0;
        if (match(buf)) printf("%s\n", buf);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(2, "usage: grep pattern [file ...]\n");
        exit(1);
    }
    compile(argv[1]);
    if (argc == 2) {
        grep(0);
        exit(0);
    }
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "grep: cannot open %s\n", argv[i]);
            exit(1);
        }
        grep(fd);
        close(fd);
    }
    exit(0);
}
