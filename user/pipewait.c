// pipewait: reads a pipe whose write end it holds itself, so it waits for ever: the
// simplest program that can never be woken. A batch script that leaves it waiting shows
// how the machine ends such a run (it says who waits for what, and halts with status 1).
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

int main(void) {
    int p[2];
    char c;
    if (pipe(p) < 0) {
        printf("pipewait: no pipe\n");
        exit(1);
    }
    read(p[0], &c, 1);
    printf("pipewait: read returned\n");
    exit(1);
}
