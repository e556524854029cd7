// A death is its environment's maker's cost, not everyone's. The kernel says why an
// environment it destroys died, in a console line; a maker of environments that fault at
// once (an environment, a CPU capability, its registers and a start: a few system calls)
// makes lines as fast as it likes. The console may be slow (a terminal, a pipe drained
// late), and the kernel wrote its own lines with its one lock held, so on several harts a
// victim on a share of its own (victim.h) waited for each (docs/exo.md, decision 2).
// ExoAttackTest boots this with a console that takes 20 ms a write and counts the writes
// made under the lock.
#include "victim.h"

#define DEATHS 100 // the maker's, at most

struct maker_shared {
    volatile long deaths, stop;
};
#define MS ((struct maker_shared *)0x31000000UL)

static long maker(long unused) {
    static struct exo_regs regs; // pc 0: nothing is mapped there, so the first fetch faults
    while (MS->deaths < DEATHS && !MS->stop) {
        long e = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
        if (e < 0) return e;
        if (capgrant(EXO_BOOT_CPU, (int)e, CAP_X, 0, 0, 0) < 0 || env_ctl((int)e, ENV_SETREGS, &regs) < 0 ||
            env_ctl((int)e, ENV_START, 0) < 0)
            return -1;
        WAIT_UNTIL(env_state((int)e) == ENV_STATE_EXITED, exosched(EXOSCHED_YIELD, 0, 0));
        capfree((int)e);
        MS->deaths++;
    }
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map((exo_u64)MS);
    victim_start();
    long alone = victim_round();
    long alone_longest = VS->longest / 10;
    long m = spawn_sharing(maker, 0, 0, (int)page, (exo_u64)MS);
    EXPECT(m >= 0, 1);
    long beside = victim_round();
    MS->stop = 1;
    EXPECT(wait_child((int)m), 0);
    printf("deathlines: the victim yielded %ld times in 3 ticks alone (longest wait %ld us), %ld beside %ld deaths (longest wait %ld us)\n",
           alone, alone_longest, beside, MS->deaths, VS->longest / 10);
    return 0;
}
