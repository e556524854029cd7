// escname: runs itself again under a name holding an ESC sequence (ESC [ 7 m: reverse
// video on), which waits for a line of input, removes that name and exits. What lists
// the processes meanwhile (^P, the console's monitor, the live view) shows how it prints
// a name a program chose: its control bytes escaped, never sent raw to the terminal.
//
// Given the line "fault", it stores to address 0 instead of exiting, so that the kernel's
// line about a killed process names it. Run as `escname stuck`, it instead reads a pipe
// whose write end it holds itself (as pipewait), so a batch script's end names it among
// those nothing can wake.
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

#define NAME "/e\033[7mx"

int main(int argc, char *argv[]) {
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        char line[64];
        int n = read(0, line, sizeof line);
        unlink(NAME);
        if (n >= 5 && memcmp(line, "fault", 5) == 0) *(volatile int *)0 = 1;
        exit(0);
    }
    if (argc > 1 && strcmp(argv[1], "waitpipe") == 0) {
        int p[2];
        char c;
        unlink(NAME);
        if (pipe(p) < 0) {
            printf("escname: no pipe\n");
            exit(1);
        }
        read(p[0], &c, 1);
        exit(1);
    }
    unlink(NAME);
    if (link("/escname", NAME) < 0) {
        printf("escname: cannot link /escname\n");
        exit(1);
    }
    char *args[] = {NAME, argc > 1 && strcmp(argv[1], "stuck") == 0 ? "waitpipe" : "wait", 0};
    exec(NAME, args);
    printf("escname: exec failed\n");
    unlink(NAME);
    exit(1);
}
