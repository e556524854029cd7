// A console write is the writer's wait, not everyone's. The console's output may be slow
// (a terminal, a pipe no one drains for a while), and exo_cons_write returns when its
// bytes are out. A victim on a share of its own yields as often as it can for 3 ticks,
// alone, then beside a writer that writes short lines in a loop, and says how often it
// yielded and its longest wait. The kernel wrote to the console with its one lock held,
// so on several harts the victim's every system call waited for the writer's
// (docs/exo.md, decision 2). ExoAttackTest boots this with a console that takes 20 ms a
// write and checks that no write of a program's went out under the lock.
#include "rt.h"

#define SHARED 0x30000000UL
#define LINES 100 // the writer's, at most

struct shared {
    volatile long go, done, yields, longest; // the victim's last round (longest wait: time CSR units)
    volatile long lines, stop;               // the writer's
};
#define S ((struct shared *)SHARED)

static exo_u64 rdtime(void) {
    exo_u64 t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

static long victim(long unused) {
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
    S->done = 1;
    return 0;
}

static long writer(long unused) {
    static const char line[] = "conslock: a line of the writer's\n";
    while (S->lines < LINES && !S->stop) {
        if (exo_cons_write(EXO_BOOT_CONSOLE, line, sizeof line - 1) < 0) return -1;
        S->lines++;
    }
    return 0;
}

static long spawn_sharing(long (*fn)(long), long shared) {
    long e = spawn(fn, 0, SPAWN_STOPPED);
    EXPECT(e >= 0, 1);
    EXPECT(give_page((int)shared, (int)e, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(env_ctl((int)e, ENV_START, 0), 0);
    return e;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long shared = page_map(SHARED);
    long v = spawn_sharing(victim, shared);
    long w = spawn_sharing(writer, shared);
    S->go = 1;
    while (!S->done) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    S->stop = 1;
    EXPECT(wait_child((int)w), 0);
    EXPECT(wait_child((int)v), 0);
    printf("conslock: beside %ld lines of the writer's, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n",
           S->lines, S->yields, S->longest / 10);
    return 0;
}
