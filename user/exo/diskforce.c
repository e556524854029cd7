// A disk flush (EXO_DISK_FLUSH, or EXO_DISK_WRITE, which forces) waits for the host to
// put the image on stable storage: a host fsync, milliseconds on a slow disk. Any
// environment holding a CAP_BLOCKS with CAP_W may ask for one as often as it likes. A
// victim on a share of its own yields as often as it can for 3 ticks (victim.h), alone,
// then beside a flusher that forces the disk in a loop (EXO_DISK_FLUSH, then
// EXO_DISK_WRITE of a block as it was), and says how often it yielded and its longest
// wait. On several harts they run side by side, and the flusher's waits must be the
// flusher's: the kernel forced the disk with its one lock held, so every system call of
// the victim's waited for the flusher's flush (docs/exo.md, decision 13). ExoAttackTest
// boots this with a disk whose flushes take 50 ms and checks that no flush ran under the
// kernel's lock.
#include "victim.h"

#define FLUSHES ((volatile long *)0x31000000UL) // how many the flusher made, on a page it shares with /init

enum { FLUSH, WRITE };

static long flusher(long how) {
    struct exo_capinfo ci;
    if (capinfo(EXO_BOOT_DISK, &ci) < 0) return -1;
    long page = page_alloc(), last = ci.first + ci.count - 1;
    if (page < 0 || exo_disk(EXO_BOOT_DISK, last, (int)page, 0, EXO_DISK_READ) < 0) return -2;
    for (;;) {
        long r = how == FLUSH ? exo_disk(EXO_BOOT_DISK, 0, 0, 0, EXO_DISK_FLUSH)
                              : exo_disk(EXO_BOOT_DISK, last, (int)page, 0, EXO_DISK_WRITE);
        if (r < 0) return r;
        (*FLUSHES)++;
    }
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long counter = page_map((exo_u64)FLUSHES);
    victim_start();
    long alone = victim_round();
    printf("diskforce: alone, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n", alone,
           VS->longest / 10);
    for (int how = FLUSH; how <= WRITE; how++) {
        *FLUSHES = 0;
        long f = spawn_sharing(flusher, how, 0, (int)counter, (exo_u64)FLUSHES);
        EXPECT(f >= 0, 1);
        // The round begins once the flusher has flushed: a loaded host may keep its hart's
        // thread from running for longer than the victim's 3 ticks, and a round beside no
        // flush would prove nothing.
        WAIT_UNTIL(f < 0 || *FLUSHES != 0 || env_state((int)f) == ENV_STATE_EXITED, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
        long beside = victim_round();
        EXPECT(env_state((int)f) != ENV_STATE_EXITED, 1); // it flushed all along
        EXPECT(env_ctl((int)f, ENV_DESTROY, 0), 0);
        printf("diskforce: beside %ld of %s, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n",
               *FLUSHES, how == FLUSH ? "EXO_DISK_FLUSH" : "EXO_DISK_WRITE", beside, VS->longest / 10);
    }
    return 0;
}
