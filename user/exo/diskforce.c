// A disk flush (EXO_DISK_FLUSH, or EXO_DISK_WRITE, which forces) waits for the host to
// put the image on stable storage: a host fsync, milliseconds on a slow disk. Any
// environment holding a CAP_BLOCKS with CAP_W may ask for one as often as it likes. A
// victim on a share of its own yields as often as it can for 3 ticks, alone, then beside
// a flusher that forces the disk in a loop (EXO_DISK_FLUSH, then EXO_DISK_WRITE of a
// block as it was), and says how often it yielded and its longest wait. On several harts
// they run side by side, and the flusher's waits must be the flusher's: the kernel forced
// the disk with its one lock held, so every system call of the victim's waited for the
// flusher's flush (docs/exo.md, decision 13). ExoAttackTest boots this with a disk whose
// flushes take 50 ms and checks that no flush ran under the kernel's lock.
#include "rt.h"

#define SHARED 0x30000000UL
struct shared {
    volatile long go, done, yields, longest; // the victim's last round (longest wait: time CSR units)
    volatile long flushes;                   // how many the flusher made
};
#define S ((struct shared *)SHARED)

static exo_u64 rdtime(void) {
    exo_u64 t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

static long victim(long unused) {
    for (;;) {
        while (!S->go) exosched(EXOSCHED_YIELD, 0, 0);
        long n = 0, longest = 0, t0 = exo_ticks(EXO_BOOT_CLOCK);
        exo_u64 last = rdtime();
        while (exo_ticks(EXO_BOOT_CLOCK) - t0 < 3) {
            exosched(EXOSCHED_YIELD, 0, 0);
            exo_u64 now = rdtime();
            if ((long)(now - last) > longest) longest = (long)(now - last);
            last = now;
            n++;
        }
        S->yields = n;
        S->longest = longest;
        S->go = 0;
        S->done = 1;
    }
}

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
        S->flushes++;
    }
}

static long spawn_sharing(long (*fn)(long), long arg, long shared) {
    long e = spawn(fn, arg, SPAWN_STOPPED);
    EXPECT(e >= 0, 1);
    EXPECT(give_page((int)shared, (int)e, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(env_ctl((int)e, ENV_START, 0), 0);
    return e;
}

static void round(void) {
    S->done = 0;
    S->go = 1;
    while (!S->done) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long shared = page_map(SHARED);
    spawn_sharing(victim, 0, shared);
    round();
    printf("diskforce: alone, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n", S->yields,
           S->longest / 10);
    for (int how = FLUSH; how <= WRITE; how++) {
        S->flushes = 0;
        long f = spawn_sharing(flusher, how, shared);
        round();
        EXPECT(env_state((int)f) != ENV_STATE_EXITED, 1); // it flushed all along
        EXPECT(env_ctl((int)f, ENV_DESTROY, 0), 0);
        printf("diskforce: beside %ld of %s, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n",
               S->flushes, how == FLUSH ? "EXO_DISK_FLUSH" : "EXO_DISK_WRITE", S->yields, S->longest / 10);
    }
    return 0;
}
