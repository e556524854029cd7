package xv6j.kernel;

import xv6j.machine.Hart;
import xv6j.machine.Printable;
import xv6j.machine.Trap;

/**
 * The boundary between user and kernel, as xv6's trap.c: {@link #userTrapRet} puts a
 * process's registers and address space on its CPU's hart and runs it; the hart returns a
 * {@link Trap}, which {@link #userTrap} handles: a system call, a fault (the process is
 * killed), or the timer (the process yields).
 */
final class UserTrap {
    private final Kernel k;

    UserTrap(Kernel k) {
        this.k = k;
    }

    /** A process's life in user mode: return to user, take a trap, handle it, repeat. */
    void userLoop(Proc p) {
        for (;;) {
            Trap t = userTrapRet(p);
            userTrap(p, t);
        }
    }

    /** Runs p on its CPU's hart until the next trap, with the registers saved back. */
    private Trap userTrapRet(Proc p) {
        Cpu c = p.cpu;
        Hart h = c.hart;
        k.pacer.beforeUser(c);
        c.loadAddressSpace(p);
        p.trapframe.restore(h);
        h.scontext = p.pid; // who runs, for a debugger (gdb's threads, monitor follow)
        h.clearReservation();
        long before = h.instret;
        Trap t = h.run(k.pacer.budget(c, k.clock().budget()));
        k.clock().retired(h.instret - before);
        k.pacer.afterUser(c, h.instret - before, t);
        p.trapframe.save(h);
        return t;
    }

    private static boolean isLoadOrStore(Trap.Cause c) {
        return c == Trap.Cause.LOAD_PAGE_FAULT || c == Trap.Cause.STORE_PAGE_FAULT;
    }

    /** Handles a trap from user mode (xv6's usertrap). */
    private void userTrap(Proc p, Trap t) {
        boolean timer = false;
        switch (t.cause()) {
            case ECALL -> {
                if (k.procs.killed(p)) k.procs.exit(p, -1);
                p.trapframe.pc += 4; // return to the instruction after ecall
                k.syscalls.syscall(p);
            }
            case TIMER_INTERRUPT -> timer = true;
            default -> {
                // A lazily grown page (sbrk(n, SBRK_LAZY)) now has memory: run the access again.
                if (isLoadOrStore(t.cause()) && k.vm.vmFault(p.pagetable, p.sz, t.tval()) != 0) break;
                k.printf("pid %d %s: %s at pc 0x%x, address 0x%x: killed%n",
                        p.pid, Printable.of(p.name), t.cause().describe(), t.pc(), t.tval());
                k.procs.setKilled(p);
            }
        }
        if (k.procs.killed(p)) k.procs.exit(p, -1);
        // The clock may have passed a tick during this run even when the run ended for
        // another reason: a process making system calls in a tight loop never uses up a
        // whole budget, so the timer alone would never preempt it.
        k.clockIntr();
        boolean ticked = k.ticks() != p.sliceStart;
        if (ticked) p.ticksRun++; // it ran into another tick: one of its own time
        if (ticked || (timer && k.halting())) k.procs.yield(p); // the slice is over
    }
}
