// escname: runs itself again under a name holding an ESC sequence (ESC [ 7 m: reverse
// video on), which waits for a line of input, removes that name and exits. What lists
// the processes meanwhile (^P, the console's monitor, the live view) shows how it prints
// a name a program chose: its control bytes escaped, never sent raw to the terminal.
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

#define NAME "/e\033[7mx"

int main(int argc, char *argv[]) {
    if (argc > 1) {
        char line[64];
        read(0, line, sizeof line);
        unlink(NAME);
        exit(0);
    }
    unlink(NAME);
    if (link("/escname", NAME) < 0) {
        printf("escname: cannot link /escname\n");
        exit(1);
    }
    char *args[] = {NAME, "wait", 0};
    exec(NAME, args);
    printf("escname: exec failed\n");
    unlink(NAME);
    exit(1);
}
