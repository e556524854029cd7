package xv6j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xv6j.fs.FsImage;
import xv6j.machine.KernelView;
import xv6j.machine.PhysicalMemory;

/**
 * The xv6 kernel as the console's monitor sees it (Ctrl-A c): the process table, read
 * under its lock as ^P's procdump does; the harts; free pages; the disk's bitmap as the
 * log last left it. Changes nothing.
 */
final class View implements KernelView {
    private final Kernel k;

    View(Kernel k) {
        this.k = k;
    }

    @Override
    public String kernelName() {
        return "xv6";
    }

    @Override
    public String taskNoun() {
        return "process";
    }

    @Override
    public List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        k.procs.lock.lock();
        try {
            for (Proc p : k.procs.proc) {
                if (p.state == ProcState.UNUSED) continue;
                int files = 0;
                for (File f : p.ofile) if (f != null) files++;
                String more = files + " open file" + (files == 1 ? "" : "s") + (p.killed ? ", killed" : "");
                long pages = (p.sz + PhysicalMemory.PAGE_SIZE - 1) / PhysicalMemory.PAGE_SIZE;
                tasks.add(new Task(p.pid, p.parent == null ? -1 : p.parent.pid, p.name,
                        p.state.name().toLowerCase(java.util.Locale.ROOT), pages, more));
            }
        } finally {
            k.procs.lock.unlock();
        }
        return tasks;
    }

    @Override
    public List<HartState> harts() {
        List<HartState> harts = new ArrayList<>();
        for (int i = 0; i < k.ncpu(); i++) {
            Cpu c = k.cpu(i);
            Proc p = c.proc;
            String running = p == null ? "idle (the scheduler)" : "pid " + p.pid + " (" + p.name + ")";
            harts.add(new HartState(i, running, c.hart.pc, c.hart.instret));
        }
        return harts;
    }

    @Override
    public Optional<List<Capability>> capabilities(long task) {
        return Optional.empty();
    }

    @Override
    public Memory memory() {
        return new Memory(k.freePages(), k.totalPages());
    }

    @Override
    public Blocks blocks() {
        return FsImage.blockUse(k.disk());
    }
}
