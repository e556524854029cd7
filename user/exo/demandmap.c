// Memory on demand: a fault handler maps a fresh page wherever the program first touches
// a sparse region, and skips other faulting instructions. Then the ways a fault ends an
// environment: no handler, a fault inside the handler, an upcall stack that is gone.
#include "rt.h"

#define REGION 0x10000000UL
#define REGION_PAGES 4096 // 16 MiB of address space, of which we touch a few pages
#define TOUCHED 48
#define STACK 0x31000000UL

static volatile long faults, skipped, last_cause, last_tval, notices, notices_in_handler;
static volatile int in_handler;

#define REVOKE_HERE 0x7100000UL // a fault here makes the handler revoke a page of ours

static int in_region(exo_u64 va) {
    return va >= REGION && va < REGION + (exo_u64)REGION_PAGES * EXO_PGSIZE;
}

static void on_fault(struct exo_frame *f) {
    if (f->kind == UPCALL_NOTICE) {
        notices++;
        notices_in_handler += in_handler; // a notice must wait until the fault handler resumes
        exo_resume(f);
    }
    in_handler = 1;
    exo_u64 page = f->tval & ~(exo_u64)(EXO_PGSIZE - 1);
    if (f->tval == REVOKE_HERE) {
        // Lose a handle while in this handler: the notice upcall comes after exo_resume.
        long p = page_alloc();
        capgrant((int)p, EXO_SELF, CAP_R, 0, 0, 0);
        caprevoke((int)p);
        capfree((int)p);
    }
    if (f->kind == UPCALL_FAULT && (f->cause == 13 || f->cause == 15) && in_region(f->tval)) {
        faults++;
        if (page_map(page) < 0) panic("no page for 0x%lx", page);
        in_handler = 0;
        exo_resume(f); // the faulting instruction runs again, and now finds its page
    }
    // Anything else: note it and skip the instruction (2 or 4 bytes, by its low bits).
    skipped++;
    last_cause = (long)f->cause;
    last_tval = (long)f->tval;
    f->regs.pc += (*(unsigned short *)f->regs.pc & 3) == 3 ? 4 : 2;
    in_handler = 0;
    exo_resume(f);
}

static long no_handler(long unused) {
    return *(volatile long *)0x7000008; // nothing is mapped there: destroyed with a message
}

static void faulty_handler(struct exo_frame *f) {
    *(volatile long *)0x7000010 = 1; // a fault in the handler: destroyed
    exo_resume(f);
}

static long bad_handler(long unused) {
    page_map(STACK);
    exo_upcall(faulty_handler, STACK + EXO_PGSIZE, UPCALL_FAULT);
    return *(volatile long *)0x7000018;
}

static long lost_stack(long unused) {
    page_map(STACK);
    exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT);
    exo_unmap(EXO_SELF, STACK);
    return *(volatile long *)0x7000020; // the frame cannot be written: destroyed
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT), E_FAULT); // no stack mapped there yet
    EXPECT(page_map(STACK) >= 0, 1);
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT), 0);

    // Touch pages spread over the region: each first touch faults once and maps a page.
    long before = faults;
    for (long i = 0; i < TOUCHED; i++) {
        volatile long *p = (volatile long *)(REGION + (i * 83 % REGION_PAGES) * EXO_PGSIZE + 8 * i);
        *p = i * i;
    }
    long sum = 0;
    for (long i = 0; i < TOUCHED; i++) sum += *(volatile long *)(REGION + (i * 83 % REGION_PAGES) * EXO_PGSIZE + 8 * i);
    EXPECT(faults - before, TOUCHED);
    EXPECT(sum, (TOUCHED - 1) * TOUCHED * (2 * TOUCHED - 1) / 6);
    // A read of a page never touched: a fresh page, zeroed.
    EXPECT(*(volatile long *)(REGION + 5 * EXO_PGSIZE), 0);
    EXPECT(faults - before, TOUCHED + 1);
    printf("demandmap: %ld pages mapped on demand\n", faults);

    // Faults the handler does not map for: skipped, with their cause and address.
    *(volatile long *)0x7000000 = 1;
    EXPECT(last_cause, 15);
    EXPECT(last_tval, 0x7000000);
    asm volatile(".2byte 0"); // the defined illegal instruction
    EXPECT(last_cause, 2);
    asm volatile("ebreak");
    EXPECT(last_cause, 3);
    EXPECT(skipped, 3);

    // A notice that arrives while the fault handler runs is delivered once it resumes.
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT | UPCALL_NOTICE), 0);
    (void)*(volatile long *)REVOKE_HERE;
    EXPECT(notices, 1);
    EXPECT(notices_in_handler, 0);
    int lost[2];
    EXPECT(exo_notices(lost, 2), 1);

    // Without a handler, in the handler, or with its upcall stack gone: the fault ends the environment.
    long (*victims[])(long) = {no_handler, bad_handler, lost_stack};
    for (int i = 0; i < 3; i++) {
        long c = spawn(victims[i], 0, 0);
        EXPECT(wait_child((int)c), -1);
    }
    printf("demandmap: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
