package xv6j.view;

import java.io.IOException;
import java.io.PrintStream;
import xv6j.kernel.Kernel;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;

/**
 * The live view ({@code make qemu VIEW=1}, the jars' {@code --view}): a page on
 * http://127.0.0.1:6828/ showing the running machine, pushed to the browser a few times a
 * second. docs/view.md describes the page and its JSON.
 *
 * <pre>
 *   ViewServer   the web server: the page, /snapshot.json, /events (server-sent events)
 *   Sampler      one snapshot: the kernel's part, the disk, the console
 *   Xv6Part      xv6: harts, memory by owner, processes, system calls
 *   ExoPart      kernel-exo: harts, memory by owner, environments, capabilities, events
 *   DiskMap      the disk by role and by file, read from the image as fsck reads it
 *   ConsoleTail  the console's last output
 * </pre>
 */
public final class View {
    private View() {}

    /** Serves a view of the xv6 kernel k on m; see {@link #start(KernelPart, Machine, int, String, PrintStream)}. */
    public static ViewServer start(Kernel k, Machine m, int port, String name, PrintStream err) {
        return start(new Xv6Part(k), m, port, name, err);
    }

    /**
     * Starts the server on port (the default one moves to the next free one of a few) and
     * prints its address on err as "NAME: view at http://127.0.0.1:PORT/". If it cannot
     * start, says why in one line and returns null: the machine boots without it.
     */
    static ViewServer start(KernelPart part, Machine m, int port, String name, PrintStream err) {
        DiskMap disk;
        try {
            disk = new DiskMap(m.disk());
        } catch (IOException e) {
            err.println(name + ": view: cannot read the disk image: " + e.getMessage());
            return null;
        }
        Sampler sampler = new Sampler(part, m, disk);
        try {
            ViewServer v = ViewServer.start(sampler, port, port == MachineOptions.DEFAULT_VIEW_PORT);
            err.println(name + ": view at " + v.uri() + " (the machine, live; read-only, this computer only)");
            return v;
        } catch (IOException e) {
            err.println(name + ": view: cannot listen on 127.0.0.1: " + e.getMessage() + "; booting without it");
            try {
                sampler.close();
            } catch (IOException ignored) {
                // nothing was open but the image's read-only handle
            }
            return null;
        }
    }
}
