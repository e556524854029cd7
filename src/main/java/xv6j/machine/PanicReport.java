package xv6j.machine;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A kernel's panic on the console: the message, the kernel's Java frames where the message
 * alone does not say what broke, and a line per hart (its pc, and what the kernel says it
 * runs). Printed for the first panic only: the first is the one to read, and a hart that
 * fails after it (its own read of the same truncated image, say) only echoes it while the
 * machine stops. Both kernels report this way (xv6's "panic:", kernel-exo's "exo panic:");
 * each halts its machine itself.
 */
public final class PanicReport {
    private final String header;
    private final Console console;
    private final Hart[] harts;
    /** What the kernel says hart i runs, as " pid 3 (sh) sz=0x4000" ("" for nothing). */
    private final IntFunction<String> runs;
    private final AtomicBoolean reported = new AtomicBoolean();

    public PanicReport(String header, Machine machine, IntFunction<String> runs) {
        this.header = header;
        this.console = machine.console();
        this.harts = machine.harts();
        this.runs = runs;
    }

    /**
     * Prints t's report, if it is the first panic; a later one prints nothing. saysAll: t's
     * message says all there is to say (a panic the kernel wrote, with its own words), so
     * no frames follow it; nor do they follow the host failing the disk, which is no
     * broken invariant.
     */
    public void report(Throwable t, boolean saysAll) {
        if (!reported.compareAndSet(false, true)) return;
        boolean disk = t instanceof Disk.Failure;
        String msg = disk ? "disk: " + t.getMessage() : saysAll ? t.getMessage() : t.toString();
        StringBuilder sb = new StringBuilder("\n").append(header).append(": ").append(msg).append('\n');
        if (!saysAll && !disk) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("xv6j.")) sb.append("    at ").append(e).append('\n');
            }
        }
        for (int i = 0; i < harts.length; i++) {
            sb.append(String.format("cpu%d: pc=0x%x", i, harts[i].pc)).append(runs.apply(i)).append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        console.write(b, 0, b.length);
        console.flush();
    }
}
