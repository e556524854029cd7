package xv6j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xv6j.fs.FsImage;
import xv6j.machine.KernelView;

/**
 * The xv6 kernel as the console's monitor sees it (Ctrl-A c): the process table and the
 * harts from a {@link Snapshot} (taken under the process table's lock), a process's memory
 * as the pages its page table maps (not its size: lazily grown memory is not there
 * until touched); free pages; the disk's bitmap as the log last left it. Its kills are
 * the process table's, under its lock.
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
        for (Snapshot.Process p : k.snapshot().procs()) {
            int files = p.files().size();
            String more = files + " open file" + (files == 1 ? "" : "s") + (p.killed() ? ", killed" : "");
            tasks.add(new Task(p.pid(), p.parent() == 0 ? -1 : p.parent(), p.name(),
                    p.state().name().toLowerCase(java.util.Locale.ROOT), p.userPages(), more));
        }
        return tasks;
    }

    @Override
    public List<HartState> harts() {
        Snapshot s = k.snapshot();
        List<HartState> harts = new ArrayList<>();
        for (Snapshot.HartRun h : s.harts()) {
            String running = h.pid() == 0 ? "idle (the scheduler)" : "pid " + h.pid() + " (" + s.nameOf(h.pid()) + ")";
            harts.add(new HartState(h.hart(), running, h.pc(), h.instret()));
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

    @Override
    public String kill(long id) {
        int pid = pid(id, "process");
        if (k.procs.isInit(pid)) throw new IllegalArgumentException("init (pid " + pid + ") cannot be killed: it reaps every orphan");
        for (Snapshot.Process p : k.snapshot().procs())
            if (p.pid() == pid && p.state() == ProcState.ZOMBIE)
                throw new IllegalArgumentException("process " + pid + " has exited: a zombie until its parent waits for it");
        if (k.procs.kill(pid) < 0) throw new IllegalArgumentException("no process " + id);
        return "killed process " + pid + "\n";
    }

    @Override
    public String killGroup(long pgid) {
        int g = pid(pgid, "process group");
        int n = g == 0 ? 0 : k.procs.killGroup(g);
        if (n == 0) throw new IllegalArgumentException("no process but init is in group " + pgid);
        return "killed " + n + " process" + (n == 1 ? "" : "es") + " of group " + g + "\n";
    }

    @Override
    public String killAll() {
        int n = k.procs.killGroup(0);
        return "killed " + n + " process" + (n == 1 ? "" : "es") + " (all but init, which starts a new shell)\n";
    }

    private static int pid(long id, String what) {
        if (id <= 0 || id != (int) id) throw new IllegalArgumentException("no " + what + " " + id);
        return (int) id;
    }
}
