// echo [word ...]: print the words, separated by spaces, and a newline.
#include "user.h"

int main(int argc, char **argv) {
    // Built up first and written at once, so the line arrives in one piece.
    static char line[4096];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        for (char *s = argv[i]; *s; s++) {
            if (n == sizeof line) {
                write(1, line, n);
                n = 0;
            }
            line[n++] = *s;
        }
        if (n == sizeof line) {
            write(1, line, n);
            n = 0;
        }
        line[n++] = i + 1 < argc ? ' ' : '\n';
    }
    if (argc < 2) line[n++] = '\n';
    if (write(1, line, n) != n) exit(1);
    exit(0);
}
