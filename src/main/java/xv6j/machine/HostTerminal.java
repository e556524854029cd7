package xv6j.machine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Connects the console device to the host: the terminal in raw mode when there is one
 * (keys reach the kernel as typed, the kernel echoes and edits, as on a serial line), or
 * plain standard input and output when input is a pipe or a file (batch use).
 */
public final class HostTerminal {
    private HostTerminal() {}

    /** True when both standard input and output are a terminal. */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    /** The console for this JVM's standard streams. */
    public static Console open() {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        if (!isTerminal()) return Console.batch(System.in, stdout);
        try {
            Terminal t = TerminalBuilder.builder().system(true).streams(System.in, System.out).build();
            if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.close();
                return Console.batch(System.in, stdout);
            }
            Attributes saved = t.enterRawMode();
            Attributes raw = t.getAttributes();
            // Ctrl-C and friends go to the machine, not to the JVM; Ctrl-A x quits.
            raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
            raw.setControlChar(Attributes.ControlChar.VMIN, 1);
            raw.setControlChar(Attributes.ControlChar.VTIME, 0);
            t.setAttributes(raw);
            AtomicBoolean restored = new AtomicBoolean();
            Runnable restore = () -> {
                if (restored.getAndSet(true)) return;
                try {
                    t.setAttributes(saved);
                    t.close();
                } catch (IOException | RuntimeException e) {
                    // the terminal is gone; nothing left to restore
                }
            };
            // A JVM ended by a signal (kill, a closed terminal) still runs its shutdown hooks.
            // One killed outright runs nothing: scripts/run, its parent, restores then.
            Runtime.getRuntime().addShutdownHook(new Thread(restore, "restore-terminal"));
            return new Console(t.input(), stdout, true, restore);
        } catch (IOException | RuntimeException e) {
            return Console.batch(System.in, stdout);
        }
    }
}
