// A console write is the writer's wait, not everyone's. The console's output may be slow
// (a terminal, a pipe no one drains for a while), and exo_cons_write returns when its
// bytes are out. A victim on a share of its own yields as often as it can for 3 ticks
// (victim.h) beside a writer that writes short lines in a loop, and says how often it
// yielded and its longest wait. The kernel wrote to the console with its one lock held,
// so on several harts the victim's every system call waited for the writer's
// (docs/exo.md, decision 2). ExoAttackTest boots this with a console that takes 20 ms a
// write and checks that no write of a program's went out under the lock.
#include "victim.h"

#define LINES 100 // the writer's, at most

struct writer_shared {
    volatile long lines, stop;
};
#define WS ((struct writer_shared *)0x31000000UL)

static long writer(long unused) {
    static const char line[] = "conslock: a line of the writer's\n";
    while (WS->lines < LINES && !WS->stop) {
        if (exo_cons_write(EXO_BOOT_CONSOLE, line, sizeof line - 1) < 0) return -1;
        WS->lines++;
    }
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map((exo_u64)WS);
    victim_start();
    long w = spawn_sharing(writer, 0, 0, (int)page, (exo_u64)WS);
    EXPECT(w >= 0, 1);
    long beside = victim_round();
    WS->stop = 1;
    EXPECT(wait_child((int)w), 0);
    printf("conslock: beside %ld lines of the writer's, the victim yielded %ld times in 3 ticks; its longest wait %ld us\n",
           WS->lines, beside, VS->longest / 10);
    return 0;
}
