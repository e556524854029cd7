package xv6j.machine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's monitor, after QEMU's: Ctrl-A c leaves the machine's console for a prompt
 * that looks at the machine and its kernel while they run, and Ctrl-A c (or cont) goes
 * back. What it shows comes from the kernel's {@link KernelView}. It changes nothing but by
 * kill and killall, the console's way out of a program that escapes ^C (Linux's SysRq e,
 * a secure attention key): no program can read or block the keys that reach the monitor,
 * and the kernel carries the kill out under its own lock. And quit, which the console does,
 * as for Ctrl-A x. What a program named itself is shown {@link Printable}: no program
 * drives the terminal through the monitor either.
 *
 * <pre>
 *   ps        processes (xv6) or environments (kernel-exo): state, memory, parent
 *   harts     each hart: what it runs, its pc, instructions retired
 *   caps ID   the capabilities of environment ID (kernel-exo)
 *   free      free physical pages and free disk blocks
 *   kill ID   kill a process (kernel-exo: destroy an environment); kill -g PGID a group (xv6)
 *   killall   kill every process but init (kernel-exo: every environment but the file
 *             server's and init); init then starts a new shell
 *   cont      back to the console (so does Ctrl-A c)
 *   quit      stop the machine cleanly, as Ctrl-A x
 * </pre>
 */
public final class Monitor {
    /** What a command asks of the console besides its output. */
    public enum Next { STAY, CONTINUE, QUIT }

    /** A command's output, and what next. */
    public record Reply(String text, Next next) {}

    static final String PROMPT = "(monitor) ";

    public static final String HELP = """
            ps        processes or environments: state, memory, parent
            harts     what each hart runs
            caps ID   the capabilities of an environment (kernel-exo)
            free      free physical pages and disk blocks
            kill ID   kill a process (kernel-exo: destroy an environment)
            kill -g G kill every process of group G (xv6)
            killall   kill all but init (and kernel-exo's file server); init starts a new shell
            cont      back to the console (Ctrl-A c does the same)
            quit      stop the machine cleanly (Ctrl-A x does the same)
            """;

    private final KernelView view;

    /** view may be null: no kernel runs yet (or this machine has none). */
    public Monitor(KernelView view) {
        this.view = view;
    }

    /** What the console prints on entering the monitor. */
    String banner() {
        return "\nxv6j monitor" + (view == null ? "" : " (" + view.kernelName() + ")")
                + ": help lists the commands; Ctrl-A c returns to the console\n";
    }

    /** Runs one command line (the console's, or gdb's {@code monitor} commands). */
    public Reply run(String line) {
        String[] w = line.trim().split("\\s+");
        String cmd = w[0];
        if (cmd.isEmpty()) return stay("");
        switch (cmd) {
            case "help", "h", "?" -> {
                return stay(HELP);
            }
            case "cont", "c" -> {
                return new Reply("", Next.CONTINUE);
            }
            case "quit", "q" -> {
                return new Reply("", Next.QUIT);
            }
            default -> { }
        }
        if (view == null) return stay("no kernel is running\n");
        try {
            return switch (cmd) {
                case "ps" -> stay(ps());
                case "harts" -> stay(harts());
                case "caps" -> stay(caps(w));
                case "free" -> stay(free());
                case "kill" -> stay(kill(w));
                case "killall" -> stay(w.length == 1 ? view.killAll() : "usage: killall (no arguments)\n");
                default -> stay("unknown command " + cmd + "; help lists them\n");
            };
        } catch (RuntimeException e) {
            // The monitor must never take the machine down: a snapshot that failed is reported.
            return stay(cmd + ": " + e.getMessage() + "\n");
        }
    }

    private static Reply stay(String text) {
        return new Reply(text, Next.STAY);
    }

    private String ps() {
        List<KernelView.Task> tasks = view.tasks();
        StringBuilder b = new StringBuilder();
        String id = view.taskNoun().equals("environment") ? "ENV" : "PID";
        b.append(String.format(Locale.ROOT, "%6s %6s  %-14s %-9s %8s  %s%n", id, "PARENT", "NAME", "STATE", "MEMORY", ""));
        for (KernelView.Task t : tasks) {
            b.append(String.format(Locale.ROOT, "%6d %6s  %-14s %-9s %8s  %s%n", t.id(),
                    t.parent() < 0 ? "-" : String.valueOf(t.parent()), Printable.of(t.name()), t.state(), kib(t.pages()),
                    Printable.of(t.more())));
        }
        String noun = view.taskNoun();
        b.append(tasks.size()).append(' ').append(tasks.size() == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s").append('\n');
        return b.toString();
    }

    private String harts() {
        StringBuilder b = new StringBuilder();
        for (KernelView.HartState h : view.harts()) {
            b.append(String.format(Locale.ROOT, "hart %d: %-24s pc 0x%x, %,d instructions%n", h.hart(), Printable.of(h.running()), h.pc(),
                    h.instructions()));
        }
        return b.toString();
    }

    /** "an environment" or "a process": the kernel's word for a task, with its article. */
    private String aTask() {
        String noun = view.taskNoun();
        return (noun.matches("[aeiou].*") ? "an " : "a ") + noun;
    }

    private String caps(String[] w) {
        if (w.length != 2) return "usage: caps ID (" + aTask() + "'s id, as ps shows it)\n";
        long id;
        try {
            id = Long.parseLong(w[1]);
        } catch (NumberFormatException e) {
            return "caps: not a number: " + w[1] + "\n";
        }
        Optional<List<KernelView.Capability>> caps;
        try {
            caps = view.capabilities(id);
        } catch (IllegalArgumentException e) {
            return "caps: " + e.getMessage() + "\n";
        }
        if (caps.isEmpty())
            return view.kernelName() + " has no capabilities (a process holds memory and open files: ps);\n"
                    + "kernel-exo has them: make EXO=1 qemu\n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%6s  %-8s %-6s %s%n", "HANDLE", "TYPE", "RIGHTS", "NAMES"));
        for (KernelView.Capability c : caps.get())
            b.append(String.format(Locale.ROOT, "%6d  %-8s %-6s %s%n", c.handle(), c.type(), c.rights(), Printable.of(c.names())));
        b.append(caps.get().size()).append(" capabilit").append(caps.get().size() == 1 ? "y" : "ies").append('\n');
        return b.toString();
    }

    private String kill(String[] w) {
        boolean group = w.length == 3 && w[1].equals("-g");
        if (w.length != 2 && !group || w.length == 2 && w[1].equals("-g")) // ("kill -g" alone: no "not a number: -g")
            return "usage: kill ID (" + aTask() + "'s id, as ps shows it), or kill -g PGID\n";
        String arg = w[w.length - 1];
        long id;
        try {
            id = Long.parseLong(arg);
        } catch (NumberFormatException e) {
            return "kill: not a number: " + arg + "\n";
        }
        try {
            return group ? view.killGroup(id) : view.kill(id);
        } catch (IllegalArgumentException e) {
            return "kill: " + e.getMessage() + "\n";
        }
    }

    private String free() {
        KernelView.Memory m = view.memory();
        KernelView.Blocks d = view.blocks();
        String s = String.format(Locale.ROOT, "memory: %,d of %,d pages free (%s of %s)%n", m.freePages(), m.totalPages(),
                kib(m.freePages()), kib(m.totalPages()));
        s += String.format(Locale.ROOT, "disk:   %,d of %,d data blocks of the file system free", d.free(), d.total());
        if (d.outside() > 0) s += String.format(Locale.ROOT, "; %,d blocks after it", d.outside());
        return s + "\n";
    }

    private static String kib(long pages) {
        long k = pages * (PhysicalMemory.PAGE_SIZE / 1024);
        return k >= 10 * 1024 ? String.format(Locale.ROOT, "%d MiB", k / 1024) : k + " KiB";
    }
}
