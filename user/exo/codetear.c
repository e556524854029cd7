// A code page shared with a victim that runs it, rewritten under it from another hart by
// its granter, who kept a writable mapping (docs/exo.md, Testing: red team 14). Without
// fence.i the victim may run the old instruction or the new one; never a mix of the two
// within one instruction, which is neither.
//
// The victim calls a function on a page /init granted it readable and executable only.
// Its first word is, by turns, one 32-bit instruction or two 16-bit ones:
//
//   A: addi a0, zero, 3          0x00300513 (its upper half, 0x0030, is c.addi4spn a2, sp, 4:
//                                 harmless if the victim runs B's first half and then finds A)
//   B: c.li a0, 2; c.nop         0x00014509
//
// followed by ret. /init, on another hart, stores A and B into that word by turns with one
// aligned store each. Every call returns 3 or 2. Seeing A's low half (a 32-bit
// instruction) and then B's whole word (whose low bits say 16-bit) is neither: an illegal
// instruction (opcode 0x09), which faults.
//
// Then an instruction that straddles the page's end: its low half the last halfword of the
// victim's page, its upper half on the next page, which /init holds and the victim does
// not (or holds readable only): the victim's fetch faults, and it never runs what it
// does not hold.
//
// In the second half of its calls the victim executes fence.i before each (it must then
// see every store made before it, and still never a mix).
#include "rt.h"

#define CODE 0x10200000UL
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define CALLS 100000

#define INSN_A 0x00300513u
#define INSN_B 0x00014509u
#define INSN_RET 0x00008067u

struct mbox {
    volatile long calls, twos, threes, others, done;
    volatile long cause, tval, epc;
};

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    m->cause = (long)f->cause;
    m->tval = (long)f->tval;
    m->epc = (long)f->regs.pc;
    m->done = 1;
    exit(1);
}

static long victim(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    long (*f)(void) = (long (*)(void))CODE;
    for (long i = 0; i < CALLS; i++) {
        if (i >= CALLS / 2) __asm__ volatile("fence.i" ::: "memory");
        long r = f();
        if (r == 2) m->twos++;
        else if (r == 3) m->threes++;
        else m->others++;
        m->calls++;
    }
    m->done = 1;
    return 0;
}

// Calls the instruction that straddles the end of CODE's page.
static long straddler(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    m->others = ((long (*)(void))(CODE + EXO_PGSIZE - 2))();
    return 0;
}

// The straddling instruction is addi a0, zero, 3 again, then ret (c.jr ra) on the next page.
static void straddle(int p, int mh) {
    long q = page_map(CODE + EXO_PGSIZE);
    EXPECT(q >= 0, 1);
    ((volatile unsigned short *)CODE)[EXO_PGSIZE / 2 - 1] = INSN_A & 0xffff;
    ((volatile unsigned short *)(CODE + EXO_PGSIZE))[0] = INSN_A >> 16;
    ((volatile unsigned short *)(CODE + EXO_PGSIZE))[1] = 0x8082;
    __asm__ volatile("fence.i" ::: "memory");
    struct mbox *m = (struct mbox *)MBOX;
    int before = rt_failures();
    for (int round = 0; round < 2; round++) {
        m->cause = m->tval = m->others = -1;
        long r = spawn(straddler, 0, SPAWN_STOPPED);
        EXPECT(give_page(mh, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        EXPECT(give_page(p, (int)r, CODE, CAP_R | CAP_X, MAP_R | MAP_X) >= 0, 1);
        if (round == 1) EXPECT(give_page((int)q, (int)r, CODE + EXO_PGSIZE, CAP_R, MAP_R) >= 0, 1);
        env_ctl((int)r, ENV_START, 0);
        EXPECT(wait_child((int)r), 1);
        EXPECT(m->others, -1);              // it never returned
        EXPECT(m->cause, 12);               // an instruction page fault
        EXPECT(m->tval, (long)(CODE + EXO_PGSIZE));
    }
    if (rt_failures() == before)
        printf("codetear: an instruction straddling into a page not held, or not executable, faulted\n");
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long p = page_map(CODE);
    volatile unsigned *c = (volatile unsigned *)CODE;
    c[0] = INSN_A;
    c[1] = INSN_RET;
    __asm__ volatile("fence.i" ::: "memory");
    m->cause = -1;
    long r = spawn(victim, 0, SPAWN_STOPPED);
    EXPECT(r >= 0, 1);
    EXPECT(give_page((int)mh, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)p, (int)r, CODE, CAP_R | CAP_X, MAP_R | MAP_X) >= 0, 1);
    env_ctl((int)r, ENV_START, 0);
    // A and B by turns, each left a moment (so that the victim sees both), a yield every
    // 64 turns (on one hart the victim runs only then; on more it finds nothing else to run).
    long stores = 0;
    for (long turn = 0; !m->done; turn++) {
        c[0] = turn & 1 ? INSN_B : INSN_A;
        stores++;
        for (volatile int spin = 0; spin < 16; spin++)
            ;
        if (turn % 64 == 63 - (turn / 64) % 2) exosched(EXOSCHED_YIELD, 0, 0);
    }
    long status = wait_child((int)r);
    if (m->cause >= 0)
        printf("FAIL: the victim faulted (cause %ld, tval 0x%lx, pc 0x%lx) after %ld calls: a mix of two instructions\n",
               m->cause, m->tval, m->epc, m->calls);
    EXPECT(status, 0);
    EXPECT(m->others, 0);
    EXPECT(m->calls, CALLS);
    EXPECT(m->threes > 0 && m->twos > 0, 1); // both versions ran: the stores reached the victim
    printf("codetear: %ld calls, %ld saw A and %ld saw B, %ld neither; %s stores\n", m->calls, m->threes, m->twos,
           m->others, stores > 1000 ? "over 1000" : "under 1000");
    straddle((int)p, (int)mh);
    printf("codetear: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
