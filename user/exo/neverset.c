// A promise never kept: /init waits for a flag that a child was to set but never does (it
// sleeps instead), as a racy program waits after losing its race. The wait's bound
// (WAIT_UNTIL) must end the run with a FAIL line that names the wait, not leave it to
// spin until the host's limit; and a run stopped at that limit first must say where each
// environment stood (ExoRun's report).
#include "rt.h"

#define MBOX 0x30000000UL

static long forgetter(long unused) {
    for (;;) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    volatile long *flag = (volatile long *)MBOX;
    long mh = page_map(MBOX);
    EXPECT(spawn_sharing(forgetter, 0, 0, (int)mh, MBOX) >= 0, 1);
    WAIT_UNTIL(*flag != 0, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    printf("neverset: the flag was set\n");
    return 0;
}
