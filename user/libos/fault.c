// Upcalls: what kernel-exo hands back to the environment itself. A fault may be the
// first touch of a lazy heap page (sbrklazy: it gets its memory now, mem.c), a write
// to a page shared copy-on-write since a fork (copy it, or take it back if nobody else
// maps it any more), a bad address inside a checked copy (that copy returns -1), or a
// real fault: then the process dies with status -1 and a one-line message, as on xv6.
// The end of a time slice is where a kill reaches a process that never enters the
// LibOS (a loop that only computes).
//
// Handlers run on the upcall stack at the top of the uproc region and touch nothing that
// could itself fault: the uproc region, the IPC page, the software page table and the
// fault window. A second fault inside a handler would destroy the environment outright.
#include "libos.h"

void upcall_entry(struct exo_frame *f);
void libos_upcall(struct exo_frame *f);

// kernel-exo sets a0 = the frame and sp just below it; make sure sp is aligned for C.
__asm__(".section .text.upcall_entry,\"ax\",@progbits\n"
        ".globl upcall_entry\n"
        "upcall_entry:\n"
        "  andi sp, sp, -16\n"
        "  call libos_upcall\n"
        "1: j 1b\n");

void libos_upcalls(void) {
    exo_upcall(upcall_entry, UPCALL_STACK_TOP, UPCALL_FAULT | UPCALL_SLICE);
}

// A write to a copy-on-write page at va: it becomes a copy of our own. Returns 0 if
// the page is ours now, -1 if va is not such a page, -2 if there is no memory for the
// copy. (A side that kept CAP_W took the page back without copying once nobody else
// mapped it; but with that right a parent wrote into its child's memory after fork,
// deputy cowwrite, so no side keeps it: fork.c.)
static int cow(uint64 va) {
    va = PGROUNDDOWN(va);
    vpte_t e = vpt_get(va);
    if (e == 0 || !(VP_FLAGS(e) & VP_COW)) return -1;
    int h = VP_HANDLE(e);
    int flags = VP_FLAGS(e) & ~VP_COW;
    long nh = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
    if (nh < 0) return -2;
    if (exo_map(EXO_SELF, SCRATCH_FAULT, (int)nh, MAP_R | MAP_W) < 0) {
        capfree((int)nh);
        return -2;
    }
    lo_memmove((void *)SCRATCH_FAULT, (void *)va, PG);
    exo_unmap(EXO_SELF, SCRATCH_FAULT);
    vpte_t ne = VP_MAKE(nh, flags | VP_CAPW);
    if (exo_map(EXO_SELF, va, (int)nh, vp_perm(ne)) < 0) {
        capfree((int)nh);
        return -2;
    }
    vpt_set(va, ne);
    capfree(h);
    return 0;
}

static const char *cause_name(uint64 cause) {
    switch (cause) {
    case 0: return "instruction misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load misaligned";
    case 5: return "load access fault";
    case 6: return "store misaligned";
    case 7: return "store access fault";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store page fault";
    default: return "fault";
    }
}

// The program's name as the kernels show names: a byte outside printable ASCII as \xHH,
// so a name that exec was given with ESC sequences in it cannot drive the terminal.
static const char *shown(const char *name, char out[4 * LIBOS_NAMELEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    for (int i = 0; i < LIBOS_NAMELEN && name[i]; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x20 && c < 0x7f) {
            *o++ = (char)c;
        } else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = 0;
    return out;
}

void libos_upcall(struct exo_frame *f) {
    struct uproc *u = UPROC;
    if (f->kind == UPCALL_SLICE) {
        if (IPC->killed && u->depth == 0 && !u->exiting) exit(-1);
        exosched(EXOSCHED_YIELD, 0, 0);
        exo_resume(f);
    }
    if (f->kind != UPCALL_FAULT) exo_resume(f);     // a revocation notice: nothing of ours

    uint64 pc = f->regs.pc;
    char name[4 * LIBOS_NAMELEN + 1];
    int in_copy = pc >= (uint64)copy_checked_begin && pc < (uint64)copy_checked_end;
    if (f->cause == 13 || f->cause == 15) {
        // A load or store in a page sbrklazy left without memory: it gets a page now, and
        // the access runs again. With no memory left, a copy fails (as xv6's copyout)
        // and the program's own touch kills it; exit gives back every page it had.
        int r = lazy_fill(f->tval);
        if (r == 0) exo_resume(f);
        if (r == -2 && !in_copy) {
            libos_say("pid %d %s: out of memory for a lazy page at 0x%lx: killed\n", u->pid, shown(u->name, name), f->tval);
            exit(-1);
        }
    }
    if (f->cause == 15) {
        int r = cow(f->tval);
        if (r == 0) exo_resume(f);
        if (r == -2) {
            libos_say("pid %d %s: out of memory for a copy-on-write page at 0x%lx: killed\n", u->pid, shown(u->name, name),
                      f->tval);
            exit(-1);
        }
    }
    if (in_copy) {
        f->regs.pc = (uint64)copy_checked_fault;
        exo_resume(f);
    }
    libos_say("pid %d %s: %s at pc 0x%lx, address 0x%lx: killed\n", u->pid, shown(u->name, name), cause_name(f->cause), pc,
              f->tval);
    exit(-1);
}
