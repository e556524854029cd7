// ctrlcdeaf: a foreground program that makes itself deaf to ^C. Run by the interactive
// shell, it descends from it, so it may claim the console as the interactive one; then ^C
// kills only its descendants, and it never reads the console nor waits for a child, so
// nothing would ever take it off the console. With "fork" it starts a spinning child
// first, so that ^C has something of its own to kill. Both kernels kill such a program
// with ^C: a shell above the bottom one that is busy with neither reading nor waiting is
// no shell (xv6j.kernel.ConsoleDevice, user/libos/server/cons.c).
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

int main(int argc, char **argv) {
    int forked = argc > 1 && strcmp(argv[1], "fork") == 0;
    if (forked && fork() == 0) {
        for (;;) { }
    }
    if (interactive() != 0) {
        printf("ctrlcdeaf: the console refused our claim\n");
        exit(1);
    }
    printf("ctrlcdeaf: the console is ours; spinning\n");
    for (volatile unsigned long i = 0;; i++) { }
}
