// Revocation while the holder uses what it loses. In each round /init spawns a worker on
// memory of its own (a capability derived from the boot memory, which pays for the
// worker and from which the page it uses comes) and, once the worker is busy (on another
// hart when there are several), takes something away from it:
//
//   workers: page  reads and writes a page it holds through a grant of a grant, and counts
//                  its rounds (it dies at its first fault: the page is gone)
//            disk  writes a block with EXO_DISK_WRITE in a loop: its CPU waits for the
//                  host's flush without the kernel's lock (Scheduler.deviceWork)
//            cons  writes nothing to the console in a loop: the same wait, for the console
//   actions: revoke the page; revoke the memory it came from (the page and the worker's
//            own memory handle go, the worker lives); free that memory (the worker, which
//            it pays for, is destroyed); destroy the worker; free the last capability that
//            names it (destroyed: no one can name it); revoke its CPU (it stops) and
//            destroy it.
//
// After a revocation of the page, the worker may finish the round it was in, no more: it
// faults at its next access. Every other action ends the worker. The checker runs after
// every kernel entry. ExoAttackTest boots this on two harts on the wall clock (the
// virtual clock counts instructions, and a disk worker makes a host flush every few
// hundred), so nothing here waits on the clock: /init waits for what it is to see (the
// worker busy, ended, or going on), however long a loaded host keeps a hart's thread.
#include "rt.h"

#define MBOX 0x30000000UL
#define PAGE 0x30100000UL
#define STACK 0x31000000UL
#define ROUNDS 36

enum { W_PAGE, W_DISK, W_CONS, NWORKERS };
enum { REVOKE_PAGE, REVOKE_MEMORY, FREE_MEMORY, DESTROY, FREE_NAME, REVOKE_CPU, NACTIONS };

static const char *workers[] = {"page", "disk", "cons"};
static const char *actions[] = {"revoke page", "revoke memory", "free memory", "destroy", "free name", "revoke cpu"};

struct mbox {
    volatile long rounds;  // the worker's, after each use
    volatile long page;    // the worker's handle of the page, once granted on (-1: not yet)
    volatile long faulted; // the address the worker faulted at
};

static void on_fault(struct exo_frame *f) {
    ((struct mbox *)MBOX)->faulted = (long)f->tval;
    exit(0);
}

static long worker(long kind) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    if (kind == W_PAGE) {
        WAIT_UNTIL(m->page >= 0, exosched(EXOSCHED_YIELD, 0, 0));
        // A grant of the grant /init made, mapped: revoking /init's page reaches it too.
        long h = capgrant((int)m->page, EXO_SELF, CAP_R | CAP_W, 0, 0, 0);
        if (h < 0 || exo_map(EXO_SELF, PAGE, (int)h, MAP_R | MAP_W) < 0) return -2;
        volatile long *p = (volatile long *)PAGE;
        for (;;) {
            p[1] = p[0] + 1;
            m->rounds++;
        }
    }
    if (kind == W_DISK) {
        struct exo_capinfo ci;
        if (capinfo(EXO_BOOT_DISK, &ci) < 0) return -3;
        long page = page_alloc(), last = ci.first + ci.count - 1;
        if (page < 0 || exo_disk(EXO_BOOT_DISK, last, (int)page, 0, EXO_DISK_READ) < 0) return -4;
        for (;;) {
            exo_disk(EXO_BOOT_DISK, last, (int)page, 0, EXO_DISK_WRITE);
            m->rounds++;
        }
    }
    for (;;) {
        exo_cons_write(EXO_BOOT_CONSOLE, "", 0);
        m->rounds++;
    }
}

static void wait_busy(struct mbox *m) {
    WAIT_UNTIL(m->rounds >= 100, exosched(EXOSCHED_YIELD, 0, 0));
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    int busy = 0, ended = 0, held = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int kind = round % NWORKERS, action = round / NWORKERS % NACTIONS;
        m->rounds = 0;
        m->page = -1;
        m->faulted = 0;
        long mem = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, 256);
        long cpu = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);
        int handles[5] = {(int)mem, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)cpu};
        long w = spawn_with(worker, kind, SPAWN_STOPPED, handles);
        long p = capalloc(CAP_PAGE, -1, (int)mem, 0);
        if (mem < 0 || cpu < 0 || w < 0 || p < 0) {
            printf("FAIL round %d: setup %ld %ld %ld %ld\n", round, mem, cpu, w, p);
            break;
        }
        EXPECT(give_page((int)mh, (int)w, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        if (kind == W_PAGE) m->page = capgrant((int)p, (int)w, CAP_R | CAP_W | CAP_GRANT, 0, 0, 0);
        env_ctl((int)w, ENV_START, 0);
        wait_busy(m);
        busy += m->rounds >= 100;

        long r = 0;
        switch (action) {
        case REVOKE_PAGE: r = caprevoke((int)p); break;
        case REVOKE_MEMORY: r = caprevoke((int)mem); break;
        case FREE_MEMORY: r = capfree((int)mem); mem = -1; break;
        case DESTROY: r = env_ctl((int)w, ENV_DESTROY, (void *)7L); break;
        case FREE_NAME: r = capfree((int)w); w = -1; break;
        case REVOKE_CPU:
            r = caprevoke((int)cpu);
            if (r >= 0) r = env_ctl((int)w, ENV_DESTROY, (void *)7L);
            break;
        }
        long at = m->rounds;
        if (r < 0) printf("FAIL round %d (%s, %s): %ld\n", round, workers[kind], actions[action], r);

        // Did the worker end, or (a page revoked under it) stop using the page? One that
        // never used the page goes on: a few more rounds of its show it. One that must end
        // is waited for as long as it takes (its hart may be a thread the host keeps
        // waiting on a busy machine); one that never ends is a run that never halts, which
        // ExoRun stops and reports.
        int pageLost = action == REVOKE_PAGE || action == REVOKE_MEMORY;
        int gone = w < 0 || env_state((int)w) == ENV_STATE_EXITED;
        while (!gone) {
            if (pageLost && kind != W_PAGE && m->rounds > at + 2) break; // it goes on
            if (pageLost && kind == W_PAGE && m->rounds > at + 1) break; // it used the page after: FAIL below
            exosched(EXOSCHED_BLOCK, EV_CHILD | EV_TICK, 0);
            gone = env_state((int)w) == ENV_STATE_EXITED;
        }
        if (kind == W_PAGE && pageLost) {
            if (m->rounds > at + 1)
                printf("FAIL round %d (%s, %s): the worker used the page %ld times after it was revoked\n", round,
                       workers[kind], actions[action], m->rounds - at);
            // (revoking the memory takes its fault handler's stack too: it dies without a frame)
            if (action == REVOKE_PAGE) EXPECT(m->faulted & ~(EXO_PGSIZE - 1L), PAGE);
            if (!gone) printf("FAIL round %d (%s, %s): the worker still runs\n", round, workers[kind], actions[action]);
            ended += gone;
        } else if (pageLost) {
            held += !gone; // it never used the page: it goes on
        } else {
            if (!gone) printf("FAIL round %d (%s, %s): the worker still runs\n", round, workers[kind], actions[action]);
            ended += gone;
        }
        if (w >= 0) {
            env_ctl((int)w, ENV_DESTROY, 0);
            capfree((int)w);
        }
        capfree((int)p);
        capfree((int)cpu);
        if (mem >= 0) capfree((int)mem);
    }
    printf("revrace: %d rounds, %d workers busy when it happened, %d ended, %d kept running without the page\n", ROUNDS,
           busy, ended, held);
    printf("revrace: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
