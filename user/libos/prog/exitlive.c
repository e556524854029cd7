// exitlive: tells the file server it exits (SRV_EXIT), as exit() does, and then goes on
// running instead of ending its environment. Had the server only taken its word for it,
// the process would have been a zombie that runs: kill cannot reach a zombie, so it would
// run on, holding its memory and its pipes, until its parent waited for it (its LibOS's
// slice upcall, which would notice a kill, it turns off).
// It prints "exitlive: FAIL ..." from the zombie if it ran on, and the status its parent
// reaped.
#include "libos/libos.h"

int main(void) {
    int c = fork();
    if (c == 0) {
        exo_upcall(0, 0, 0);    // no slice upcalls: our LibOS would notice a kill at one
        srv(SRV_EXIT, 7, 0, 0, 0);
        // Only a zombie left running gets here: no descriptors now, so straight to the console.
        static const char msg[] = "exitlive: FAIL a zombie still runs\n";
        long t0 = exo_ticks(UPROC->h_clock);
        for (int said = 0; said < 3;) {
            if (exo_ticks(UPROC->h_clock) - t0 > 2 * said) {
                exo_cons_write(UPROC->h_cons, msg, sizeof msg - 1);
                said++;
            }
        }
        for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)7L);
    }
    sleep(2);
    kill(c);
    sleep(8);
    int status = 0;
    int got = wait(&status);
    printf("exitlive: reaped the child %s, status %d\n", got == c ? "by pid" : "FAIL not", status);
    exit(0);
}
