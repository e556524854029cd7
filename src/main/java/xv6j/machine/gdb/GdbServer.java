package xv6j.machine.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import xv6j.machine.Hart;
import xv6j.machine.KernelView;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;
import xv6j.machine.PhysicalMemory;

/**
 * The machine's debug port: a GDB stub on a TCP port of the loopback interface
 * ({@code make qemu-gdb}, a launcher's {@code --gdb}). It holds the harts from the start,
 * so the machine stops before its first user instruction and waits for gdb.
 *
 * <p>One gdb at a time: a second connection while one is attached gets an error reply to
 * its first packet, naming the reason, and is closed; the first goes on undisturbed. When
 * gdb goes away, however it goes (detach, a dropped connection, a crash), the machine runs
 * on, and the next gdb to connect stops it again. When the machine halts, a gdb waiting
 * for it to stop hears that it exited, with the halt status.
 */
public final class GdbServer implements AutoCloseable {
    private final ServerSocket server;
    private Debugger debugger;
    private Programs programs;
    private Supplier<KernelView> view;
    private Runnable quit;
    private volatile Session session;
    private volatile boolean closed;

    private GdbServer(ServerSocket server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1:port (0: a free port the system picks). */
    public static GdbServer listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            s.close();
            throw new IOException("gdb: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return new GdbServer(s);
    }

    /**
     * What a launcher does for --gdb: listens, writes the .gdbinit if asked, and tells the
     * user (on err, before the terminal goes raw) where gdb should connect.
     */
    public static GdbServer open(MachineOptions.Gdb opts, PrintStream err) throws IOException {
        GdbServer g = listen(opts.port());
        try {
            if (opts.gdbinit() != null) GdbInit.write(opts.gdbinit(), g.port(), opts.symbols());
        } catch (IOException e) {
            g.close();
            throw new IOException("gdb: cannot write " + opts.gdbinit() + ": " + e.getMessage(), e);
        }
        err.println("*** The machine will stop before its first user instruction and wait for gdb on 127.0.0.1:" + g.port()
                + (opts.gdbinit() != null ? "\n*** (" + opts.gdbinit() + " connects to it: README, \"Debugging with gdb\")." : "."));
        err.println("*** Now run 'gdb-multiarch' in another window.");
        err.flush();
        return g;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Takes hold of m's harts (stopped) and starts serving gdb; symbols: the programs' ELF files with debugging information, or null. */
    public void start(Machine m, Path symbols) {
        start(m.harts(), m.mem(), symbols, m.console()::view, m.console()::quit);
        m.console().beforeQuit(debugger::freeze); // Ctrl-A x: no more user code, even from harts gdb holds
    }

    /**
     * Takes hold of the harts (stopped) and starts serving gdb.
     *
     * @param view the kernel's view (for thread names and monitor commands), or null before one boots
     * @param quit asks the machine to halt (gdb's kill), or null if it cannot be asked
     */
    public void start(Hart[] harts, PhysicalMemory mem, Path symbols, Supplier<KernelView> view, Runnable quit) {
        this.programs = new Programs(symbols);
        this.view = view;
        this.quit = quit;
        this.debugger = new Debugger(harts, mem, this::wake);
        debugger.attach();
        Thread.ofPlatform().daemon().name("gdb-accept").start(this::accept);
    }

    private void wake() {
        Session s = session;
        if (s != null) s.connection().wake();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue; // a connection that failed on the way in: wait for the next
            }
            // A gdb that reconnects at once may come while its old session is still ending
            // (the machine already let go): wait for that before calling it a second gdb.
            if (session != null && !sessionEndsWithin(SESSION_END_WAIT_MS)) {
                Thread.ofPlatform().daemon().name("gdb-refuse").start(() -> refuse(socket));
                continue;
            }
            try {
                Session s = new Session(new Connection(socket), debugger, programs, view, quit);
                session = s;
                Thread.ofPlatform().daemon().name("gdb-session").start(() -> serve(s));
            } catch (IOException e) {
                close(socket);
            }
        }
    }

    /** How long a new connection waits for the session before it to end, before it is refused. */
    private static final long SESSION_END_WAIT_MS = 1000;

    private boolean sessionEndsWithin(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (session != null && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return session == null;
    }

    private void serve(Session s) {
        try {
            s.serve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session = null;
        }
    }

    /** A second gdb: its first packet is answered with an error that says why, and it is closed. */
    private static void refuse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(3000);
            InputStream in = socket.getInputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '#') { } // its first packet (qSupported)...
            if (c >= 0) {
                in.read();
                in.read();
            }
            String reply = "+" + Rsp.frame("E.another gdb is attached to this machine; one at a time");
            socket.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Thread.sleep(200); // let it read the reply before the close
        } catch (IOException e) {
            // it went away first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The machine halted with status: a gdb waiting for a stop is told it exited; the port closes. */
    public void halted(int status) {
        Session s = session;
        if (s != null && s.running()) s.connection().send(String.format("W%02x", status & 0xff));
        close();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        Session s = session;
        if (s != null) s.connection().close();
        if (debugger != null) debugger.release();
    }
}
