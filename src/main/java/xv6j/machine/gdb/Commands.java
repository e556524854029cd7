package xv6j.machine.gdb;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import xv6j.machine.KernelView;
import xv6j.machine.Monitor;

/**
 * gdb's {@code monitor} commands (the qRcmd packet): which address spaces breakpoints
 * apply in, and the kernel as the console's monitor shows it (Ctrl-A c).
 */
final class Commands {
    static final String HELP = """
            follow             which address spaces breakpoints and watchpoints stop in
            follow PROGRAM     only those running PROGRAM's code (ls, sh, init: as ps names it);
                               the .gdbinit's own 'follow PROGRAM' also loads its symbols
            follow ID          only the process (kernel-exo: environment) ID, as ps numbers it
            follow all         every address space (every program is linked at the same addresses)
            ps                 processes or environments: state, memory, parent
            harts              what each hart runs
            caps ID            the capabilities of an environment (kernel-exo)
            free               free physical pages and disk blocks
            """;

    /** How long a question to the kernel may take: its lock may be held by a hart gdb stopped. */
    private static final long KERNEL_TIMEOUT_MS = 2000;

    private final Debugger debugger;
    private final Programs programs;
    private final Supplier<KernelView> view;

    Commands(Debugger debugger, Programs programs, Supplier<KernelView> view) {
        this.debugger = debugger;
        this.programs = programs;
        this.view = view;
    }

    /** Runs one command line; returns what gdb prints. */
    String run(String line) {
        String[] w = line.trim().split("\\s+");
        return switch (w[0]) {
            case "", "help" -> HELP;
            case "follow" -> follow(w);
            case "ps", "harts", "caps", "free" -> kernel(line.trim());
            default -> "unknown command " + w[0] + "; monitor help lists them\n";
        };
    }

    private String follow(String[] w) {
        if (w.length == 1) return "breakpoints and watchpoints stop in " + describe(debugger.follow()) + "\n";
        if (w.length != 2) return "usage: monitor follow PROGRAM | ID | all\n";
        String what = w[1];
        Debugger.Follow f;
        if (what.equals("all")) {
            f = new Debugger.All();
        } else if (what.chars().allMatch(Character::isDigit)) {
            try {
                f = new Debugger.Task(Long.parseLong(what));
            } catch (NumberFormatException e) {
                return "follow: not an id: " + what + "\n";
            }
        } else {
            try {
                f = new Debugger.Running(programs.get(what));
            } catch (IOException e) {
                return "follow: " + e.getMessage() + "\n";
            }
        }
        debugger.follow(f);
        return "breakpoints and watchpoints now stop in " + describe(f) + "\n";
    }

    private String describe(Debugger.Follow f) {
        return switch (f) {
            case Debugger.All a -> "every address space";
            case Debugger.Task t -> noun() + " " + t.id() + " alone";
            case Debugger.Running r -> "the address spaces running " + r.program().name + " (" + r.program().file + ")";
        };
    }

    /** What the kernel calls a task: "process" (xv6), "environment" (kernel-exo), or "task" before one boots. */
    String noun() {
        KernelView v = view.get();
        return v == null ? "task" : v.taskNoun();
    }

    /** One of the console monitor's commands, on a thread of its own that gdb does not wait for forever. */
    private String kernel(String line) {
        KernelView v = view.get();
        if (v == null) return "no kernel is running yet\n";
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> new Monitor(v).run(line).text(),
                r -> Thread.ofPlatform().daemon().name("gdb-monitor").start(r));
        try {
            return answer.get(KERNEL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "the kernel did not answer: a lock it needs is held by code that waits for a hart gdb has\n"
                    + "stopped; continue, and ask again\n";
        } catch (ExecutionException e) {
            return line + ": " + e.getCause().getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }
}
