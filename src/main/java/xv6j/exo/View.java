package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xv6j.fs.FsImage;
import xv6j.libos.Uproc;
import xv6j.machine.KernelView;

/**
 * kernel-exo as the console's monitor sees it (Ctrl-A c): each question answered from a
 * {@link Snapshot}, taken under the kernel's lock. Its kills destroy environments, under
 * that lock: kernel-exo's own power over every environment, which no capability limits;
 * the LibOS's server, their exokernel parent, hears of each death (EV_CHILD) and ends the
 * process as for any other (docs/exo.md, "The console's way out").
 */
final class View implements KernelView {
    private final Exokernel k;

    View(Exokernel k) {
        this.k = k;
    }

    @Override
    public String kernelName() {
        return "kernel-exo";
    }

    @Override
    public String taskNoun() {
        return "environment";
    }

    @Override
    public List<Task> tasks() {
        Snapshot s = k.snapshot(Uproc.VA, Uproc.LEN);
        Map<Integer, Uproc> uprocs = Uproc.of(s.peeks());
        List<Task> tasks = new ArrayList<>();
        for (Snapshot.Environment e : s.envs()) {
            // Named as xv6's ^P names processes: by program, from the LibOS's hand-off; with
            // its pid, which the shell's kill takes (the boot environment and the file
            // server are no processes: pid 0). One with no hand-off (exited) is "-".
            Uproc u = uprocs.get(e.id());
            long pages = s.capabilitiesOf(e.id()).stream().filter(c -> c.type() == CAP_PAGE).count();
            StringBuilder more = new StringBuilder();
            if (u != null && u.pid() > 0) more.append("pid ").append(u.pid()).append(", ");
            more.append(e.caps()).append(" capabilities, quota ").append(e.quotaUsed()).append('/').append(e.quotaLimit());
            if (e.cpus() == 0) more.append(", no CPU");
            if (e.pctEntry() != 0) more.append(", takes calls");
            if (e.caller() != 0) more.append(", serving ").append(e.caller());
            if (e.callee() != 0) more.append(", calling ").append(e.callee());
            if (e.waitingOn() != 0) more.append(", waiting for ").append(e.waitingOn());
            if (e.state().equals("exited")) more.append(", status ").append(e.status());
            tasks.add(new Task(e.id(), e.parentId() == 0 ? -1 : e.parentId(), u != null ? u.name() : "-", e.state(), pages, more.toString()));
        }
        return tasks;
    }

    @Override
    public List<HartState> harts() {
        List<HartState> harts = new ArrayList<>();
        Snapshot s = k.snapshot(Uproc.VA, Uproc.LEN);
        Map<Integer, Uproc> uprocs = Uproc.of(s.peeks());
        for (Snapshot.HartRun h : s.harts()) {
            String running = h.env() == 0 ? "idle"
                    : Uproc.label(h.env(), uprocs)
                            + (h.threadOf() != h.env() ? " in a call of " + Uproc.label(h.threadOf(), uprocs) : "");
            harts.add(new HartState(h.hart(), running, h.pc(), h.instret()));
        }
        return harts;
    }

    @Override
    public Optional<List<Capability>> capabilities(long task) {
        Snapshot s = k.snapshot();
        Snapshot.Environment e = task == (int) task ? s.environment((int) task) : null;
        if (e == null) throw new IllegalArgumentException("no environment " + task);
        List<Capability> caps = new ArrayList<>();
        for (Snapshot.Capability c : s.capabilitiesOf(e.id()))
            caps.add(new Capability(c.handle(), Snapshot.typeName(c.type()), rights(c.rights()), names(c)));
        return Optional.of(caps);
    }

    private static String rights(int r) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"R", "W", "X", "G", "V"}; // (G: grant, V: revoke)
        for (int i = 0; i < names.length; i++) sb.append((r & 1 << i) != 0 ? names[i] : "-");
        return sb.toString();
    }

    private static String names(Snapshot.Capability c) {
        String from = c.parentEnv() == 0 ? "" : ", from env " + c.parentEnv() + " handle " + c.parentHandle();
        return switch (c.type()) {
            case CAP_PAGE -> String.format("page 0x%x", c.first());
            case CAP_MEMORY -> String.format("pages 0x%x..0x%x, quota %d", c.first(), c.first() + c.count() - 1, c.quotaLimit());
            case CAP_BLOCKS -> "blocks " + c.first() + ".." + (c.first() + c.count() - 1);
            case CAP_ENV -> "env " + c.target();
            default -> Snapshot.typeName(c.type());
        } + from;
    }

    @Override
    public Memory memory() {
        Snapshot s = k.snapshot();
        return new Memory(s.freePages(), s.totalPages());
    }

    @Override
    public Blocks blocks() {
        return FsImage.blockUse(k.machine.disk());
    }

    @Override
    public String kill(long id) {
        k.lock.lock();
        try {
            Env e = id == (int) id ? k.envs.get((int) id) : null;
            if (e == null || e.exited || e.dying) throw new IllegalArgumentException("no environment " + id);
            String why = k.envs.spared(e);
            if (why != null) throw new IllegalArgumentException("env " + id + " is " + why + "; killall spares it too");
            k.envs.destroy(e, -1, null);
            return "destroyed env " + id + "\n";
        } finally {
            k.lock.unlock();
        }
    }

    @Override
    public String killGroup(long pgid) {
        throw new IllegalArgumentException("process groups are the LibOS's, not kernel-exo's: kill ENV, or killall");
    }

    @Override
    public String killAll() {
        k.lock.lock();
        try {
            int n = k.envs.destroyAllButSpared();
            return "destroyed " + n + " environment" + (n == 1 ? "" : "s")
                    + " (all but the file server's and init, which starts a new shell)\n";
        } finally {
            k.lock.unlock();
        }
    }
}
