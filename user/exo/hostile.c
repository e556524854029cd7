// A hostile environment tries everything a program should not get away with: handles it
// never received, another environment's handles, freed and revoked handles, rights it
// lacks, writable mappings of read-only pages, mappings in the reserved top of the
// address space, disk blocks outside its range, a protected control transfer into an
// environment that refuses it, and absurd arguments to every call. Each must fail with
// its error code; afterwards the victim must be exactly as it was, and the kernel alive.
#include "rt.h"

#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define VPAGE 0x10000000UL  // the victim's data page
#define VEXTRA 0x11000000UL // the victim's many other pages
#define VEXTRA_PAGES 50
#define SCRATCH 0x20000000UL
#define UNMAPPED 0x7000000UL

#define VICTIM_HANDLES 128 // the victim's table is smaller than this

struct mbox {
    long victim_for_attacker;   // the attacker's handle for the victim: CAP_R only
    long refuser_for_attacker;  // the attacker's handle for the refuser: CAP_X only
    long victim_handles[8];     // handle numbers in the victim's table, beyond the attacker's
    volatile int victim_ready;  // the victim has taken its snapshot and stopped itself
    long victim_result[VICTIM_HANDLES]; // capinfo's result for each handle number, before
    struct exo_capinfo victim_caps[VICTIM_HANDLES];
};

static volatile long last_cause = -1, last_tval;

static void on_fault(struct exo_frame *f) {
    last_cause = (long)f->cause;
    last_tval = (long)f->tval;
    f->regs.pc += (*(unsigned short *)f->regs.pc & 3) == 3 ? 4 : 2; // skip it
    exo_resume(f);
}

// ---- the refuser: accepts calls only from environments it holds a capability for ----

static void refuser_entry(long caller) {
    exo_u64 r[6] = {1, 2, 3, 4, 5, 6};
    pct_return(r);
}

static long refuser(long unused) {
    page_map(STACK);
    pct_register((void (*)(void))refuser_entry, STACK + EXO_PGSIZE, PCT_KNOWN);
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

// ---- the victim: notes its own table, stops itself, and when started again checks it ----

static long victim(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    for (int h = 0; h < VICTIM_HANDLES; h++) m->victim_result[h] = capinfo(h, &m->victim_caps[h]);
    m->victim_ready = 1;
    env_ctl(EXO_SELF, ENV_STOP, 0); // until /init starts us again, after the attack
    for (int h = 0; h < VICTIM_HANDLES; h++) {
        struct exo_capinfo now;
        memset(&now, 0, sizeof now);
        long r = capinfo(h, &now);
        struct exo_capinfo *was = &m->victim_caps[h];
        // (a memory quota's use is everyone's who shares it: only what the handle names counts)
        if (r != m->victim_result[h] ||
            (r == 0 && (now.type != was->type || now.rights != was->rights || now.first != was->first || now.count != was->count))) {
            printf("FAIL victim: handle %d changed\n", h);
            return 1;
        }
    }
    for (int i = 0; i < EXO_PGSIZE / 8; i++) {
        if (((long *)VPAGE)[i] != i * 7) return 2;
    }
    return 0;
}

// ---- the attacker ----

static long attack(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    int vR = (int)m->victim_for_attacker, rX = (int)m->refuser_for_attacker;
    exo_u64 args[6] = {0}, out[6];
    struct exo_capinfo info;
    struct exo_envinfo einfo;
    char buf[64];
    EXPECT(page_map(STACK) >= 0, 1);
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT), 0);

    // Handles it never received, in the table's range or not.
    int never[] = {EXO_NCAP - 1, EXO_NCAP, 30000, 0x7fffffff, -2, -0x7fffffff};
    for (int i = 0; i < 6; i++) {
        int h = never[i];
        EXPECT(capfree(h), E_BADCAP);
        EXPECT(capinfo(h, &info), E_BADCAP);
        EXPECT(caprevoke(h), E_BADCAP);
        EXPECT(capgrant(h, EXO_SELF, CAP_R, 0, 0, 0), E_BADCAP);
        EXPECT(exo_map(EXO_SELF, SCRATCH, h, MAP_R), E_BADCAP);
        EXPECT(exo_map(h, SCRATCH, 5, MAP_R), E_BADCAP);
        EXPECT(exo_disk(h, 0, 5, 0, 0), E_BADCAP);
        EXPECT(exo_pagerefs(h), E_BADCAP);
        EXPECT(exo_cons_write(h, "x", 1), E_BADCAP);
        EXPECT(exo_ticks(h), E_BADCAP);
        EXPECT(pct_call(h, args, out), E_BADCAP);
        EXPECT(env_ctl(h, ENV_INFO, &einfo), E_BADCAP);
        EXPECT(exosched(EXOSCHED_YIELD_TO, h, 0), E_BADCAP);
    }
    // Whole 64-bit numbers (the stubs take an int): a handle is never the low bits of one.
    long wide[] = {1L << 32, (1L << 32) | EXO_BOOT_MEMORY, (long)(-1UL << 40), 1L << 62};
    for (int i = 0; i < 4; i++) {
        register long a0 asm("a0") = wide[i];
        register long a7 asm("a7") = SYS_capfree;
        asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
        EXPECT(a0, E_BADCAP);
    }
    exo_unmap(EXO_SELF, SCRATCH);

    // Another environment's handles: numbers live in the victim's table, not in ours.
    for (int i = 0; i < 8; i++) {
        int h = (int)m->victim_handles[i];
        EXPECT(capinfo(h, &info), E_BADCAP);
        EXPECT(capfree(h), E_BADCAP);
        EXPECT(caprevoke(h), E_BADCAP);
        EXPECT(exo_map(EXO_SELF, SCRATCH, h, MAP_R), E_BADCAP);
        EXPECT(exo_map(vR, SCRATCH, h, MAP_R), E_RIGHTS); // our handle for the victim only reads
        EXPECT(exo_unmap(vR, VPAGE), E_RIGHTS);
    }
    // What a CAP_R handle for the victim does not allow.
    struct exo_regs regs;
    EXPECT(env_ctl(vR, ENV_INFO, &einfo), 0); // this it does
    EXPECT(einfo.state, ENV_STATE_STOPPED);
    EXPECT(env_ctl(vR, ENV_GETREGS, &regs), E_RIGHTS);
    EXPECT(env_ctl(vR, ENV_SETREGS, &regs), E_RIGHTS);
    EXPECT(env_ctl(vR, ENV_START, 0), E_RIGHTS);
    EXPECT(env_ctl(vR, ENV_STOP, 0), E_RIGHTS);
    EXPECT(env_ctl(vR, ENV_DESTROY, 0), E_RIGHTS);
    EXPECT(exosched(EXOSCHED_YIELD_TO, vR, 0), E_RIGHTS);
    EXPECT(pct_call(vR, args, out), E_RIGHTS);
    EXPECT(capgrant(EXO_BOOT_CONSOLE, vR, CAP_W, 0, 0, 0), E_RIGHTS); // nothing pushed into its table
    EXPECT(capgrant(vR, EXO_SELF, CAP_R | CAP_W, 0, 0, 0), E_RIGHTS);  // no more rights than we hold
    EXPECT(capgrant(vR, EXO_SELF, CAP_R, 0, 0, 0), E_RIGHTS);          // nor any without CAP_GRANT
    EXPECT(caprevoke(vR), E_RIGHTS);

    // A freed handle.
    long p = page_map(SCRATCH);
    EXPECT(p >= 0, 1);
    *(volatile long *)SCRATCH = 5;
    EXPECT(capfree((int)p), 0);
    EXPECT(capfree((int)p), E_BADCAP);
    EXPECT(capinfo((int)p, &info), E_BADCAP);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)p, MAP_R), E_BADCAP);
    last_cause = -1;
    (void)*(volatile long *)SCRATCH; // its mapping went with it
    EXPECT(last_cause, 13);

    // A revoked handle.
    p = page_alloc();
    long q = capgrant((int)p, EXO_SELF, CAP_R | CAP_W, 0, 0, 0);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)q, MAP_R | MAP_W), 0);
    EXPECT(caprevoke((int)p), 1);
    EXPECT(capinfo((int)q, &info), E_BADCAP);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)q, MAP_R), E_BADCAP);
    EXPECT(capgrant((int)q, EXO_SELF, CAP_R, 0, 0, 0), E_BADCAP);
    last_cause = -1;
    *(volatile long *)SCRATCH = 1;
    EXPECT(last_cause, 15);
    int lost[4];
    EXPECT(exo_notices(lost, 4), 1);
    EXPECT(lost[0], q);

    // Rights it lacks: a read-only page can be neither granted with more nor mapped writable.
    long weak = capgrant((int)p, EXO_SELF, CAP_R | CAP_GRANT, 0, 0, 0);
    EXPECT(capgrant((int)weak, EXO_SELF, CAP_R | CAP_W, 0, 0, 0), E_RIGHTS);
    EXPECT(capgrant((int)weak, EXO_SELF, 0x20, 0, 0, 0), E_INVAL); // no such right
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)weak, MAP_R | MAP_W), E_RIGHTS);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)weak, MAP_R | MAP_X), E_RIGHTS);
    long nogrant = capgrant((int)weak, EXO_SELF, CAP_R, 0, 0, 0);
    EXPECT(capgrant((int)nogrant, EXO_SELF, CAP_R, 0, 0, 0), E_RIGHTS);
    EXPECT(caprevoke((int)weak), E_RIGHTS);
    EXPECT(exo_disk(1, 0, (int)weak, 0, 0), E_RIGHTS); // reading a block into it writes it
    // Our program text: granted to us without CAP_W, so no writable mapping of it.
    EXPECT(capinfo(5, &info), 0);
    EXPECT(info.rights, CAP_R | CAP_X);
    EXPECT(exo_map(EXO_SELF, 0, 5, MAP_R | MAP_W), E_RIGHTS);
    last_cause = -1;
    *(volatile int *)(exo_u64)attack = 0; // and the mapping we have is read-only
    EXPECT(last_cause, 15);

    // The reserved top of the address space, and addresses that are not page addresses.
    exo_u64 bad_va[] = {EXO_UTOP, EXO_UTOP + EXO_PGSIZE, EXO_MAXVA - EXO_PGSIZE, EXO_MAXVA, 1UL << 63,
                        -(exo_u64)EXO_PGSIZE, SCRATCH + 8, 1};
    for (int i = 0; i < 8; i++) {
        EXPECT(exo_map(EXO_SELF, bad_va[i], (int)p, MAP_R), E_INVAL);
        EXPECT(exo_unmap(EXO_SELF, bad_va[i]), E_INVAL);
    }

    // Disk blocks outside its range: keep 100..109 (read-write) and 100..104 (read-only), drop the disk.
    long blocks = capalloc(CAP_BLOCKS, 100, EXO_BOOT_DISK, 10);
    long ro = capgrant((int)blocks, EXO_SELF, CAP_R | CAP_GRANT, 100, 5, 0);
    EXPECT(blocks >= 0 && ro >= 0, 1);
    EXPECT(capfree(EXO_BOOT_DISK), 0);
    EXPECT(exo_disk(EXO_BOOT_DISK, 100, (int)p, 0, 0), E_BADCAP);
    EXPECT(exo_disk((int)blocks, 100, (int)p, 0, 0), 0);
    EXPECT(exo_disk((int)blocks, 109, (int)p, 3 * EXO_BSIZE, 0), 0);
    long bad_block[] = {99, 110, 0, -1, 1L << 40, 1L << 31};
    for (int i = 0; i < 6; i++) EXPECT(exo_disk((int)blocks, bad_block[i], (int)p, 0, 0), E_RANGE);
    EXPECT(exo_disk((int)ro, 105, (int)p, 0, 0), E_RANGE);
    EXPECT(exo_disk((int)ro, 100, (int)p, 0, 1), E_RIGHTS); // read-only range
    EXPECT(exo_disk((int)blocks, 100, (int)p, 512, 0), E_INVAL);
    EXPECT(exo_disk((int)blocks, 100, (int)p, EXO_PGSIZE, 0), E_INVAL);
    EXPECT(exo_disk((int)blocks, 100, (int)p, -EXO_BSIZE, 0), E_INVAL);
    EXPECT(exo_disk((int)blocks, 100, (int)p, 0, 4), E_INVAL);
    EXPECT(exo_disk((int)blocks, 100, (int)p, 0, -1), E_INVAL);
    EXPECT(exo_disk((int)ro, 100, (int)p, 0, EXO_DISK_WRITE_CACHED), E_RIGHTS);
    EXPECT(exo_disk((int)blocks, 110, (int)p, 0, EXO_DISK_WRITE_CACHED), E_RANGE);
    EXPECT(exo_disk((int)ro, 0, 0, 0, EXO_DISK_FLUSH), E_RIGHTS);   // a flush needs a writer
    EXPECT(exo_disk((int)p, 0, 0, 0, EXO_DISK_FLUSH), E_TYPE);
    EXPECT(exo_disk((int)blocks, 100, EXO_BOOT_CONSOLE, 0, 0), E_TYPE);
    EXPECT(capalloc(CAP_BLOCKS, 95, (int)blocks, 10), E_RANGE);
    EXPECT(capalloc(CAP_BLOCKS, 100, (int)blocks, 11), E_RANGE);
    EXPECT(capalloc(CAP_BLOCKS, 100, (int)blocks, 0), E_INVAL);
    EXPECT(capalloc(CAP_BLOCKS, -1, (int)blocks, 1), E_INVAL);
    EXPECT(capgrant((int)blocks, EXO_SELF, CAP_R, 0, 20, 0), E_RANGE);
    EXPECT(capgrant((int)blocks, EXO_SELF, CAP_R, 105, 6, 0), E_RANGE);
    EXPECT(capgrant((int)blocks, EXO_SELF, CAP_R, -1, 1, 0), E_INVAL);

    // A protected control transfer into an environment that accepts only callers it knows.
    out[0] = 99;
    EXPECT(pct_call(rX, args, out), E_REFUSED);
    EXPECT(out[0], 99);
    // pct_return serving no call: the stub stops at a breakpoint (our handler skips it).
    void (*volatile ret)(const exo_u64 *) = pct_return;
    last_cause = -1;
    ret(out);
    EXPECT(last_cause, 3);

    // Absurd arguments to every call.
    long ppn = capinfo((int)p, &info) == 0 ? (long)info.first : -1;
    EXPECT(capalloc(99, 0, 0, 0), E_INVAL);
    EXPECT(capalloc(-1, 0, 0, 0), E_INVAL);
    EXPECT(capalloc(CAP_MEMORY, 0, 0, 0), E_INVAL);
    EXPECT(capalloc(CAP_CPU, 0, EXO_BOOT_CPU, 0), E_INVAL);
    EXPECT(capalloc(CAP_PAGE, -1, 12345, 0), E_BADCAP);
    EXPECT(capalloc(CAP_PAGE, -1, EXO_BOOT_CONSOLE, 0), E_TYPE);
    EXPECT(capalloc(CAP_PAGE, -5, EXO_BOOT_MEMORY, 0), E_INVAL);
    EXPECT(capalloc(CAP_PAGE, 1L << 50, EXO_BOOT_MEMORY, 0), E_RANGE);
    EXPECT(capalloc(CAP_PAGE, ppn, EXO_BOOT_MEMORY, 0), E_BUSY); // a page someone holds
    EXPECT(capalloc(CAP_BLOCKS, 0, EXO_BOOT_MEMORY, 1), E_TYPE);
    EXPECT(capgrant((int)p, 12345, CAP_R, 0, 0, 0), E_BADCAP);
    EXPECT(capgrant((int)p, EXO_BOOT_CONSOLE, CAP_R, 0, 0, 0), E_TYPE);
    EXPECT(capgrant((int)p, EXO_SELF, -1, 0, 0, 0), E_INVAL);
    EXPECT(capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_R, 0, 1L << 50, 0), E_RANGE);
    EXPECT(capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_R, 0, -1, 0), E_INVAL);
    EXPECT(capinfo((int)p, (struct exo_capinfo *)UNMAPPED), E_FAULT);
    EXPECT(capinfo((int)p, (struct exo_capinfo *)(exo_u64)attack), E_FAULT); // read-only text
    EXPECT(capinfo((int)p, (struct exo_capinfo *)(EXO_UTOP - 8)), E_FAULT);  // runs past the top
    EXPECT(capinfo((int)p, (struct exo_capinfo *)-8L), E_FAULT);
    EXPECT(exosched(99, 0, 0), E_INVAL);
    EXPECT(exosched(-1, 0, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_SLICE, 0, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_SLICE, 101, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_SLICE, -1, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_BLOCK, 0, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_BLOCK, 0x100, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_WAIT, STACK + 2, 0), E_INVAL);
    EXPECT(exosched(EXOSCHED_WAIT, UNMAPPED, 0), E_FAULT);
    EXPECT(exosched(EXOSCHED_WAIT, EXO_UTOP, 0), E_FAULT);
    EXPECT(exosched(EXOSCHED_WAKE, UNMAPPED, 0), E_FAULT);
    EXPECT(exosched(EXOSCHED_WAKE, -4L, 0), E_FAULT);
    EXPECT(env_ctl(EXO_SELF, 99, 0), E_INVAL);
    EXPECT(env_ctl(EXO_SELF, -1, 0), E_INVAL);
    EXPECT(env_ctl(EXO_BOOT_CONSOLE, ENV_INFO, &einfo), E_TYPE);
    EXPECT(env_ctl(EXO_SELF, ENV_INFO, (void *)UNMAPPED), E_FAULT);
    EXPECT(env_ctl(vR, ENV_INFO, (void *)(exo_u64)attack), E_FAULT);
    EXPECT(env_ctl(EXO_SELF, ENV_GETREGS, (void *)(exo_u64)attack), E_FAULT);
    EXPECT(env_ctl(EXO_SELF, ENV_SETREGS, (void *)UNMAPPED), E_FAULT);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)p, 0), E_INVAL);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)p, 8), E_INVAL);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)p, MAP_W), E_INVAL);
    EXPECT(exo_map(EXO_SELF, SCRATCH, (int)p, -1), E_INVAL);
    EXPECT(exo_map(EXO_SELF, SCRATCH, EXO_BOOT_CONSOLE, MAP_R), E_TYPE);
    EXPECT(exo_map(EXO_BOOT_CONSOLE, SCRATCH, (int)p, MAP_R), E_TYPE);
    EXPECT(exo_pagerefs(EXO_BOOT_CONSOLE), E_TYPE);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, (void *)UNMAPPED, 10), E_FAULT);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, buf, -1), E_INVAL);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, buf, 1L << 40), E_FAULT);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, buf, 0x7fffffffffffffffL), E_FAULT);
    long mute = capgrant(EXO_BOOT_CONSOLE, EXO_SELF, CAP_R, 0, 0, 0);
    EXPECT(exo_cons_write((int)mute, "x", 1), E_RIGHTS);
    EXPECT(exo_cons_read(EXO_BOOT_CONSOLE, buf, -1), E_INVAL);
    EXPECT(exo_cons_read(EXO_BOOT_CLOCK, buf, 1), E_TYPE);
    long blind = capgrant(EXO_BOOT_CLOCK, EXO_SELF, CAP_GRANT, 0, 0, 0);
    EXPECT(exo_ticks((int)blind), E_RIGHTS);
    EXPECT(exo_ticks(EXO_BOOT_CONSOLE), E_TYPE);
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, 0x100), E_INVAL);
    EXPECT(exo_upcall(0, STACK + EXO_PGSIZE, UPCALL_FAULT), E_INVAL);
    EXPECT(exo_upcall((void (*)(struct exo_frame *))EXO_UTOP, STACK + EXO_PGSIZE, UPCALL_FAULT), E_INVAL);
    EXPECT(exo_upcall(on_fault, UNMAPPED, UPCALL_FAULT), E_FAULT);
    EXPECT(exo_upcall(on_fault, EXO_UTOP + EXO_PGSIZE, UPCALL_FAULT), E_INVAL);
    EXPECT(exo_resume((struct exo_frame *)UNMAPPED), E_FAULT);
    EXPECT(exo_notices(lost, -1), E_INVAL);
    EXPECT(exo_notices((int *)UNMAPPED, 5), 0); // none pending: nothing to write
    EXPECT(pct_register((void (*)(void))refuser_entry, STACK + EXO_PGSIZE, 7), E_INVAL);
    EXPECT(pct_register((void (*)(void))EXO_UTOP, STACK + EXO_PGSIZE, PCT_ANY), E_INVAL);
    EXPECT(pct_register((void (*)(void))refuser_entry, 0, PCT_ANY), E_INVAL);
    EXPECT(pct_register(0, 0, PCT_ANY), 0);

    // Still ourselves after all that: the fault handler is in place and we can print.
    last_cause = -1;
    (void)*(volatile long *)UNMAPPED;
    EXPECT(last_cause, 13);
    printf("hostile: attacker made %d checks, %d failed\n", rt_checks, rt_failures());
    return rt_failures();
}

// Dies with a system-call number that is not kernel-exo's.
static long wrong_call(long number) {
    register long a7 asm("a7") = number;
    asm volatile("ecall" : : "r"(a7) : "memory");
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);

    // The victim, with a data page we also map, and many pages besides: it notes its own
    // table and stops itself.
    long v = spawn(victim, 0, SPAWN_STOPPED);
    long vp = page_map(SCRATCH);
    for (int i = 0; i < EXO_PGSIZE / 8; i++) ((long *)SCRATCH)[i] = i * 7;
    EXPECT(give_page((int)vp, (int)v, VPAGE, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    long last = 0;
    for (int i = 0; i < VEXTRA_PAGES; i++) {
        long x = page_alloc();
        last = give_page((int)x, (int)v, VEXTRA + i * EXO_PGSIZE, CAP_R, MAP_R);
        capfree((int)x);
    }
    EXPECT(give_page((int)mh, (int)v, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    for (int i = 0; i < 8; i++) m->victim_handles[i] = last - i;
    env_ctl((int)v, ENV_START, 0);
    WAIT_UNTIL(m->victim_ready && env_state((int)v) == ENV_STATE_STOPPED, exosched(EXOSCHED_YIELD, 0, 0));

    // The refuser, and the attacker with its two environment handles.
    long r = spawn(refuser, 0, 0);
    long a = spawn(attack, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)mh, (int)a, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    m->victim_for_attacker = capgrant((int)v, (int)a, CAP_R, 0, 0, 0);
    m->refuser_for_attacker = capgrant((int)r, (int)a, CAP_X, 0, 0, 0);
    EXPECT(m->victim_for_attacker >= 0 && m->refuser_for_attacker >= 0, 1);
    for (int i = 0; i < 8; i++) EXPECT(m->victim_handles[i] > m->refuser_for_attacker + 30, 1);

    // What we can see of the victim from outside: registers, state, its page and its mappings.
    struct exo_regs before, after;
    struct exo_envinfo info;
    EXPECT(env_ctl((int)v, ENV_GETREGS, &before), 0);
    long refs = exo_pagerefs((int)vp);
    EXPECT(refs, 2);

    env_ctl((int)a, ENV_START, 0);
    EXPECT(wait_child((int)a), 0);

    EXPECT(env_ctl((int)v, ENV_GETREGS, &after), 0);
    EXPECT(memcmp(&before, &after, sizeof before), 0);
    EXPECT(env_ctl((int)v, ENV_INFO, &info), 0);
    EXPECT(info.state, ENV_STATE_STOPPED);
    EXPECT(exo_pagerefs((int)vp), refs);
    int intact = 1;
    for (int i = 0; i < EXO_PGSIZE / 8; i++) intact &= ((long *)SCRATCH)[i] == i * 7;
    EXPECT(intact, 1);
    EXPECT(env_state((int)r), ENV_STATE_BLOCKED); // the refuser sleeps on, untouched

    // From inside: the victim finds its table and page as they were.
    env_ctl((int)v, ENV_START, 0);
    EXPECT(wait_child((int)v), 0);

    // System-call numbers that are not the exokernel's end the caller, with a message.
    EXPECT(wait_child((int)spawn(wrong_call, 5, 0)), -1);
    EXPECT(wait_child((int)spawn(wrong_call, 0x1ff, 0)), -1);
    env_ctl((int)r, ENV_DESTROY, 0);
    printf("hostile: %s\n", rt_failures() ? "FAILED" : "the victim is unchanged and the kernel alive");
    return 0;
}
