package xv6j.kernel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * The xv6 kernel at one moment, read-only, for the live view (xv6j.view): the process
 * table, what each hart runs, who holds each physical page, and the system calls made
 * since boot. {@link #take} changes nothing in the kernel.
 *
 * <p>What is consistent with what: the process table (states, parents, names, sizes) is
 * read under its lock, as ^P's procdump does; who holds each page is read with the page
 * allocator frozen (no page is allocated or freed meanwhile), walking every process's
 * page table. A process running on another hart may be half way through changing its own
 * table (a page allocated and not yet mapped shows as the kernel's; one being freed shows
 * as free); a page on the free list is free whatever a stale entry says, and the walk
 * never enters a free page. System-call counts are read without a lock: each hart counts
 * its own.
 *
 * @param ticks    the clock's ticks, as uptime() reports them
 * @param procs    every slot that is not UNUSED, in slot order
 * @param harts    what each hart runs, by hart id
 * @param free     physical pages on the free list, by page index (0 = PhysicalMemory.BASE)
 * @param pages    RAM in pages
 * @param syscalls calls made, by xv6's system-call number (0: numbers that are no call)
 */
public record Snapshot(long ticks, List<Process> procs, List<HartRun> harts, BitSet free, int pages, long[] syscalls) {

    /**
     * A process as the table shows it.
     *
     * @param parent  the parent's pid, or 0 (init, or none)
     * @param waitsOn what a SLEEPING process sleeps on ("ticks", "console input", "a child",
     *                "pipe read", "log", "sleeplock buffer" ...), else ""
     * @param cpu     the hart it runs on, or -1
     * @param files   its open files by descriptor (null where none)
     * @param memory  its user pages: runs of consecutive pages, virtual and physical
     * @param tables  physical addresses of its page-table pages, the root first
     */
    public record Process(int pid, int parent, String name, ProcState state, boolean killed, long sz, String waitsOn,
                          int cpu, List<OpenFile> files, List<Run> memory, List<Long> tables) {
        /**
         * The pages of memory its page table maps: what it holds, where sz/PGSIZE is what it
         * may use (since sbrk(n, SBRK_LAZY), a page gets memory only when first touched).
         */
        public long userPages() {
            long n = 0;
            for (Run r : memory) n += r.n();
            return n;
        }
    }

    /** An open file: the descriptor, what it is ("console", "pipe", "inode 12"), and how it is open. */
    public record OpenFile(int fd, String what, int inum, boolean readable, boolean writable, long offset) {}

    /** n pages mapped from va to pa on, with the page-table entry's flags (R W X U). */
    public record Run(long va, long pa, long n, long flags) {}

    /** A hart: the process it runs (pid, or 0 for the scheduler), its pc and the instructions it retired. */
    public record HartRun(int hart, int pid, long pc, long instret) {}

    /** The name of the process with pid, or "?" if there is none. */
    public String nameOf(int pid) {
        for (Process p : procs) if (p.pid() == pid) return p.name();
        return "?";
    }

    /** xv6's name for system call num ("fork" ...), or null. */
    public static String syscallName(int num) {
        return Syscall.name(num);
    }

    /** Takes a snapshot of k. Holds the process table's lock, then the allocator's, while it reads. */
    static Snapshot take(Kernel k) {
        PhysicalMemory mem = k.machine().mem();
        ProcTable pt = k.procs;
        pt.lock.lock();
        try {
            List<HartRun> harts = new ArrayList<>();
            for (int i = 0; i < k.ncpu(); i++) {
                Cpu c = k.cpu(i);
                Proc p = c.proc;
                harts.add(new HartRun(i, p == null ? 0 : p.pid, c.hart.pc, c.hart.instret));
            }
            return k.kalloc.frozen(free -> {
                List<Process> procs = new ArrayList<>();
                for (Proc p : pt.proc) {
                    if (p.state == ProcState.UNUSED) continue;
                    List<Run> memory = new ArrayList<>();
                    List<Long> tables = new ArrayList<>();
                    long root = p.pagetable;
                    if (inUse(root, mem, free)) {
                        tables.add(root);
                        walkTable(mem, free, root, 2, 0, memory, tables);
                    }
                    procs.add(new Process(p.pid, p.parent == null ? 0 : p.parent.pid, p.name, p.state, p.killed, p.sz,
                            p.state == ProcState.SLEEPING ? waitsOn(k, p) : "", p.cpu == null ? -1 : p.cpu.id,
                            files(p), List.copyOf(memory), List.copyOf(tables)));
                }
                return new Snapshot(k.ticks(), List.copyOf(procs), List.copyOf(harts), free, mem.pages(),
                        k.syscalls.counts());
            });
        } finally {
            pt.lock.unlock();
        }
    }

    /** True if pa is a page of RAM the allocator has handed out. */
    private static boolean inUse(long pa, PhysicalMemory mem, BitSet free) {
        return pa != 0 && pa % PageTable.PGSIZE == 0 && mem.contains(pa, PageTable.PGSIZE)
                && !free.get(PhysicalMemory.pageIndex(pa));
    }

    /** Collects a table's pages and its leaves (as runs); never enters a page that is free. */
    private static void walkTable(PhysicalMemory mem, BitSet free, long table, int level, long base, List<Run> memory,
                                  List<Long> tables) {
        for (int i = 0; i < PageTable.ENTRIES; i++) {
            long pte = mem.load64(table + 8L * i);
            if ((pte & PageTable.PTE_V) == 0) continue;
            long va = base | ((long) i << (PageTable.PGSHIFT + 9 * level));
            long pa = PageTable.pte2pa(pte);
            if (!inUse(pa, mem, free)) continue;
            if (PageTable.isTable(pte)) {
                if (level == 0) continue; // a table entry at the last level maps nothing
                tables.add(pa);
                walkTable(mem, free, pa, level - 1, va, memory, tables);
                continue;
            }
            long flags = pte & (PageTable.PTE_R | PageTable.PTE_W | PageTable.PTE_X | PageTable.PTE_U);
            if (!memory.isEmpty()) {
                Run last = memory.get(memory.size() - 1);
                long n = last.n();
                if (last.flags() == flags && last.va() + n * PageTable.PGSIZE == va && last.pa() + n * PageTable.PGSIZE == pa) {
                    memory.set(memory.size() - 1, new Run(last.va(), last.pa(), n + 1, flags));
                    continue;
                }
            }
            memory.add(new Run(va, pa, 1, flags));
        }
    }

    private static List<OpenFile> files(Proc p) {
        List<OpenFile> out = new ArrayList<>();
        for (int fd = 0; fd < p.ofile.length; fd++) {
            File f = p.ofile[fd];
            if (f == null) continue;
            Inode ip = f.ip;
            String what = switch (f.type) {
                case PIPE -> "pipe";
                case DEVICE -> f.major == Param.CONSOLE ? "console" : "device " + f.major;
                case INODE -> ip == null ? "inode" : "inode " + ip.inum;
                case NONE -> "closed";
            };
            out.add(new OpenFile(fd, what, f.type == File.Type.INODE && ip != null ? ip.inum : 0, f.readable, f.writable,
                    f.type == File.Type.INODE ? f.off : 0));
        }
        return List.copyOf(out);
    }

    /** What a sleeping process waits for, from its channel. */
    static String waitsOn(Kernel k, Proc p) {
        Object chan = p.chan;
        if (chan == null) return "";
        if (chan == k.ticksChannel()) return "ticks";
        if (chan == k.consoleDevice.readChannel()) return "console input";
        if (chan == p) return "a child";
        if (chan == k.log) return "log";
        if (chan instanceof SleepLock s) return s.toString();
        for (File f : p.ofile) {
            if (f != null && f.type == File.Type.PIPE && f.pipe != null) {
                String w = f.pipe.channelName(chan);
                if (w != null) return w;
            }
        }
        return "a channel";
    }
}
