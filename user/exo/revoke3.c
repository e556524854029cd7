// Revocation through three environments: /init grants a page to B, B grants it on to C,
// C to D, each maps it. When /init revokes its capability, all three lose theirs: each
// sees a notice naming the handle it lost (D through its notice upcall), and none can
// reach the page any more (and the invariant checker proves no page table maps it).
#include "rt.h"

#define PAGE 0x10000000UL
#define MBOX 0x30000000UL
#define STACK 0x31000000UL

struct mbox {
    long next_env[4];  // [i]: env i's handle for env i+1 (1 = B, 2 = C, 3 = D)
    long handle[4];    // [i]: env i's handle for the page
    volatile int stage;
};

static volatile long faulted, notice_upcalls, notice_tval, notice_kind;

static void on_upcall(struct exo_frame *f) {
    if (f->kind == UPCALL_NOTICE) {
        notice_upcalls++;
        notice_kind = (long)f->kind;
        notice_tval = (long)f->tval;
    } else {
        faulted = (long)f->tval;
        f->regs.pc += (*(unsigned short *)f->regs.pc & 3) == 3 ? 4 : 2; // skip the access
    }
    exo_resume(f);
}

// 1 if the page at PAGE can be read, 0 if reading it faults.
static int readable(void) {
    faulted = 0;
    (void)*(volatile long *)PAGE;
    return faulted == 0;
}

static long holder(long me) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0) return -2;
    // D takes its notice by upcall as well.
    exo_upcall(on_upcall, STACK + EXO_PGSIZE, me == 3 ? UPCALL_FAULT | UPCALL_NOTICE : UPCALL_FAULT);
    WAIT_UNTIL(m->stage == me - 1, exosched(EXOSCHED_YIELD, 0, 0));

    long h = m->handle[me];
    EXPECT(exo_map(EXO_SELF, PAGE, (int)h, me == 3 ? MAP_R : MAP_R | MAP_W), 0);
    long *p = (long *)PAGE;
    if (me < 3) {
        p[me] = me * 111; // our mark, for /init to see
        // Pass it on: D may only read it.
        m->handle[me + 1] = capgrant((int)h, (int)m->next_env[me], me == 2 ? CAP_R : CAP_R | CAP_W | CAP_GRANT, 0, 0, 0);
        EXPECT(m->handle[me + 1] >= 0, 1);
    } else {
        EXPECT(p[0] + p[1] + p[2], 1000 + 111 + 222);
    }
    m->stage = me;

    // Sleep until the notice. D's upcall comes first, then its BLOCK returns.
    EXPECT(exosched(EXOSCHED_BLOCK, EV_NOTICE, 0), EV_NOTICE);
    int lost[8];
    EXPECT(exo_notices(lost, 8), 1);
    EXPECT(lost[0], h);
    EXPECT(exo_notices(lost, 8), 0);
    struct exo_capinfo info;
    EXPECT(capinfo((int)h, &info), E_BADCAP);
    EXPECT(exo_map(EXO_SELF, PAGE + EXO_PGSIZE, (int)h, MAP_R), E_BADCAP);
    if (me == 3) {
        EXPECT(notice_upcalls, 1);
        EXPECT(notice_kind, UPCALL_NOTICE);
        EXPECT(notice_tval, h);
    }
    EXPECT(readable(), 0);
    EXPECT(faulted, PAGE);
    printf("revoke: env %ld lost handle %ld, saw the notice, cannot reach the page\n", exo_envid(), h);
    return rt_failures();
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long page = page_map(PAGE);
    *(long *)PAGE = 1000;
    long env[4];
    for (int i = 1; i <= 3; i++) {
        env[i] = spawn(holder, i, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)env[i], MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    }
    for (int i = 1; i < 3; i++) m->next_env[i] = capgrant((int)env[i + 1], (int)env[i], CAP_R | CAP_W, 0, 0, 0);
    m->handle[1] = capgrant((int)page, (int)env[1], CAP_R | CAP_W | CAP_GRANT, 0, 0, 0);
    m->stage = 0;
    for (int i = 1; i <= 3; i++) env_ctl((int)env[i], ENV_START, 0);
    WAIT_UNTIL(m->stage == 3, exosched(EXOSCHED_YIELD, 0, 0));

    long *p = (long *)PAGE;
    EXPECT(p[1] + p[2], 111 + 222);
    EXPECT(exo_pagerefs((int)page), 4);
    EXPECT(caprevoke((int)page), 3);
    EXPECT(exo_pagerefs((int)page), 1); // ours only
    EXPECT(p[0], 1000);
    for (int i = 1; i <= 3; i++) EXPECT(wait_child((int)env[i]), 0);
    int lost[4];
    EXPECT(exo_notices(lost, 4), 0); // the revoker loses nothing
    printf("revoke: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
