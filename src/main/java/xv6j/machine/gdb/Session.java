package xv6j.machine.gdb;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import xv6j.machine.KernelView;

/**
 * One gdb session: the packets of GDB's Remote Serial Protocol (the "Remote Protocol"
 * appendix of GDB's manual), answered from the {@link Debugger}. All-stop mode, one
 * thread per hart (thread n is hart n-1).
 *
 * <p>Packets: {@code ?}, qSupported (PacketSize, qXfer:features:read for the target
 * description, qXfer:threads:read, QStartNoAckMode, swbreak, hwbreak, vContSupported),
 * qAttached, qC, qfThreadInfo/qsThreadInfo, qThreadExtraInfo, qRcmd (monitor commands),
 * H, T, g/G, p/P, m/M/X, c/s, vCont (c, s, t; C and S as c and s: there are no signals to
 * deliver), Z0-Z4/z0-z4, D, k. Anything else gets the empty reply ("not supported"); a
 * malformed packet gets an error reply; neither ends the session.
 */
final class Session {
    /** How long a stop may wait for harts on their way to parking before it is reported anyway. */
    private static final long PARK_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connection conn;
    private final Debugger dbg;
    private final Programs programs;
    private final Commands commands;
    private final Runnable quit;
    private final Supplier<KernelView> view;

    /** The harts gdb's register and memory packets (Hg) and old-style resumes (Hc) are about. */
    private int gHart, cHart;
    private volatile boolean running;
    private long runningSince;
    private String threadsXml = "";
    /** How the session ended: gdb detached, killed, or went away. */
    private volatile boolean over;

    Session(Connection conn, Debugger dbg, Programs programs, Supplier<KernelView> view, Runnable quit) {
        this.conn = conn;
        this.dbg = dbg;
        this.programs = programs;
        this.view = view;
        this.quit = quit;
        this.commands = new Commands(dbg, programs, view);
    }

    /** Serves the connection until gdb detaches, kills or goes away. */
    void serve() throws InterruptedException {
        dbg.attach();
        conn.start();
        try {
            while (!over) {
                Connection.Event e = conn.next(running ? 50 : 0);
                if (e == null || e instanceof Connection.Wake) {
                    if (running) reportStopIfSettled();
                    continue;
                }
                switch (e) {
                    case Connection.Packet p -> answer(p.data());
                    case Connection.Interrupt i -> {
                        if (running) dbg.interrupt();
                    }
                    case Connection.Resend r -> conn.resend();
                    case Connection.Closed c -> over = true;
                    default -> { }
                }
            }
        } finally {
            dbg.detach(); // the machine goes on without gdb (kill has asked it to halt first)
            conn.close();
        }
    }

    /** True while gdb waits for the machine to stop (for the server to send W when it halts). */
    boolean running() {
        return running;
    }

    Connection connection() {
        return conn;
    }

    private void reportStopIfSettled() {
        Debugger.Stop s = dbg.settled(System.nanoTime() - runningSince > PARK_GRACE_NANOS);
        if (s == null) return;
        running = false;
        conn.send(stopReply(s));
    }

    private void answer(String p) throws InterruptedException {
        String reply;
        try {
            reply = reply(p);
        } catch (Rsp.Malformed e) {
            reply = "E.bad packet: " + e.getMessage();
        } catch (RuntimeException e) {
            // Never let a packet take the session (or the machine) down.
            reply = "E.internal error: " + e;
        }
        if (reply != null && !conn.send(reply)) over = true; // gdb is gone: no one to answer
    }

    /** The reply to packet p; null when there is none now (a resume: the stop replies later). */
    private String reply(String p) throws Rsp.Malformed, InterruptedException {
        if (p.isEmpty()) return "";
        if (running && !p.startsWith("q") && !p.startsWith("v")) return "E.the machine is running";
        switch (p.charAt(0)) {
            case '?' -> {
                Debugger.Stop s = dbg.awaitStop(5, TimeUnit.SECONDS);
                return stopReply(s);
            }
            case 'q' -> {
                return query(p);
            }
            case 'Q' -> {
                if (p.equals("QStartNoAckMode")) {
                    conn.send("OK");
                    conn.noAcks();
                    return null;
                }
                return "";
            }
            case 'H' -> {
                if (p.length() < 2) throw new Rsp.Malformed("H without an operation");
                int h = hartOf(p.substring(2), true);
                if (h < 0) return "E01";
                if (p.charAt(1) == 'g') gHart = h;
                else if (p.charAt(1) == 'c') cHart = h;
                return "OK";
            }
            case 'T' -> {
                return hartOf(p.substring(1), false) >= 0 ? "OK" : "E01";
            }
            case 'g' -> {
                // A hart out of user code (idle, or in the kernel) has no user registers to
                // show: the ones it last left user code with would be decoded as a frame of
                // whatever program gdb follows. "xx" is the protocol's "unavailable". (But
                // the idle hart a stop names shows a task's: Debugger.settled.)
                boolean user = dbg.hasRegisters(gHart);
                long[] r = dbg.registers(gHart);
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 65; i++) b.append(user ? Rsp.le(r[i], 8) : "xx".repeat(8));
                for (int i = 65; i < 68; i++) b.append(user ? Rsp.le(r[i], 4) : "xx".repeat(4));
                return b.toString();
            }
            case 'G' -> {
                return writeAllRegisters(p.substring(1));
            }
            case 'p' -> {
                int n = (int) Rsp.number(p.substring(1));
                int i = registerIndex(n);
                if (i < 0) return "E00";
                if (!dbg.hasRegisters(gHart)) return "xx".repeat(i < 65 ? 8 : 4);
                return Rsp.le(dbg.registers(gHart)[i], i < 65 ? 8 : 4);
            }
            case 'P' -> {
                int eq = p.indexOf('=');
                if (eq < 0) throw new Rsp.Malformed("P without =");
                int i = registerIndex((int) Rsp.number(p.substring(1, eq)));
                if (i < 0) return "E00";
                return dbg.setRegister(gHart, i, Rsp.le(p.substring(eq + 1))) ? "OK" : "E.hart not in user code";
            }
            case 'm' -> {
                return readMemory(p.substring(1));
            }
            case 'M', 'X' -> {
                return writeMemory(p);
            }
            case 'c', 's', 'C', 'S' -> {
                int at = p.charAt(0) == 'C' || p.charAt(0) == 'S' ? p.indexOf(';') : 0;
                String addr = at < 0 ? "" : p.substring(at + 1);
                if (!addr.isEmpty()) dbg.setRegister(cHart, 32, Rsp.number(addr));
                Debugger.Action[] a = new Debugger.Action[dbg.harts()];
                boolean step = Character.toLowerCase(p.charAt(0)) == 's';
                Arrays.fill(a, step ? Debugger.Action.STAY : Debugger.Action.CONTINUE);
                if (step) a[cHart] = Debugger.Action.STEP;
                return resume(a);
            }
            case 'v' -> {
                return vPacket(p);
            }
            case 'Z', 'z' -> {
                return point(p);
            }
            case 'D' -> {
                conn.send("OK");
                over = true;
                return null;
            }
            case 'k' -> {
                kill();
                return null;
            }
            default -> {
                return "";
            }
        }
    }

    private String query(String p) throws Rsp.Malformed {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(Connection.MAX_PACKET)
                    + ";qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+";
        }
        if (p.equals("qAttached")) return "1"; // gdb quits by detaching: the machine goes on
        if (p.equals("qC")) return "QC" + Long.toHexString(gHart + 1);
        if (p.equals("qfThreadInfo")) {
            StringBuilder b = new StringBuilder("m");
            for (int i = 0; i < dbg.harts(); i++) b.append(i == 0 ? "" : ",").append(Long.toHexString(i + 1));
            return b.toString();
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.startsWith("qThreadExtraInfo,")) return Rsp.hex(describe(hartOf(p.substring(17), false)));
        String features = "qXfer:features:read:target.xml:", threads = "qXfer:threads:read::";
        if (p.startsWith(features)) return chunk(TargetDescription.XML, p.substring(features.length()));
        if (p.startsWith("qXfer:features:read:")) return "E00";
        if (p.startsWith(threads)) {
            String range = p.substring(threads.length());
            if (range.startsWith("0,")) threadsXml = threadsXml();
            return chunk(threadsXml, range);
        }
        if (p.startsWith("qRcmd,")) {
            String out = commands.run(new String(Rsp.bytes(p.substring(6)), java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < out.length(); i += 512) conn.send("O" + Rsp.hex(out.substring(i, Math.min(out.length(), i + 512))));
            return "OK";
        }
        if (p.startsWith("qSymbol")) return "OK";
        return "";
    }

    private String vPacket(String p) throws Rsp.Malformed {
        if (p.equals("vCont?")) return "vCont;c;C;s;S;t";
        if (p.startsWith("vCont;")) {
            Debugger.Action[] a = new Debugger.Action[dbg.harts()];
            for (String part : p.substring(6).split(";")) {
                if (part.isEmpty()) throw new Rsp.Malformed("empty vCont action");
                int colon = part.indexOf(':');
                String act = colon < 0 ? part : part.substring(0, colon);
                Debugger.Action action = switch (act.charAt(0)) {
                    case 'c', 'C' -> Debugger.Action.CONTINUE;
                    case 's', 'S' -> Debugger.Action.STEP;
                    case 't' -> Debugger.Action.STAY;
                    default -> throw new Rsp.Malformed("vCont action " + act);
                };
                // The first action that names a thread wins; one without a thread covers the rest.
                if (colon < 0) {
                    for (int i = 0; i < a.length; i++) if (a[i] == null) a[i] = action;
                } else {
                    String t = part.substring(colon + 1);
                    if (t.equals("-1")) {
                        for (int i = 0; i < a.length; i++) if (a[i] == null) a[i] = action;
                    } else {
                        int h = hartOf(t, false);
                        if (h < 0) throw new Rsp.Malformed("no thread " + t);
                        if (a[h] == null) a[h] = action;
                    }
                }
            }
            for (int i = 0; i < a.length; i++) if (a[i] == null) a[i] = Debugger.Action.STAY;
            return resume(a);
        }
        if (p.startsWith("vKill")) {
            kill();
            return "OK";
        }
        return ""; // vMustReplyEmpty, vFile, vRun ...: not supported
    }

    /** gdb's kill: no user instruction runs again, and the machine is asked to halt, as by Ctrl-A x. */
    private void kill() {
        over = true;
        dbg.freeze();
        if (quit != null) quit.run();
    }

    private String resume(Debugger.Action[] a) {
        running = true;
        runningSince = System.nanoTime();
        dbg.resume(a);
        return null;
    }

    /** Z0-Z4 and z0-z4: software and hardware breakpoints (the same here), watchpoints. */
    private String point(String p) throws Rsp.Malformed {
        String[] f = p.substring(1).split("[,;]");
        if (f.length < 3) throw new Rsp.Malformed("Z needs type,address,kind");
        int type = Rsp.count(f[0], 9);
        long addr = Rsp.number(f[1]);
        long len = Rsp.number(f[2]);
        boolean insert = p.charAt(0) == 'Z';
        switch (type) {
            case 0, 1 -> {
                if (insert) dbg.addBreakpoint(addr);
                else dbg.removeBreakpoint(addr);
            }
            case 2, 3, 4 -> {
                if (len == 0 || len > 1 << 20) return "E.watchpoint length";
                Debugger.Watch w = new Debugger.Watch(type, addr, len);
                if (insert) dbg.addWatch(w);
                else dbg.removeWatch(w);
            }
            default -> {
                return "";
            }
        }
        return "OK";
    }

    private String readMemory(String args) throws Rsp.Malformed {
        int comma = args.indexOf(',');
        if (comma < 0) throw new Rsp.Malformed("m needs address,length");
        long addr = Rsp.number(args.substring(0, comma));
        int len = Rsp.count(args.substring(comma + 1), Connection.MAX_PACKET / 2);
        byte[] b = new byte[len];
        int got = dbg.space(gHart).read(addr, b, len);
        return got == 0 && len > 0 ? "E14" : Rsp.hex(b, got); // 14: EFAULT
    }

    private String writeMemory(String p) throws Rsp.Malformed {
        int comma = p.indexOf(','), colon = p.indexOf(':');
        if (comma < 0 || colon < comma) throw new Rsp.Malformed(p.charAt(0) + " needs address,length:data");
        long addr = Rsp.number(p.substring(1, comma));
        int len = Rsp.count(p.substring(comma + 1, colon), Connection.MAX_PACKET);
        String data = p.substring(colon + 1);
        byte[] b = p.charAt(0) == 'M' ? Rsp.bytes(data) : data.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (b.length != len) throw new Rsp.Malformed("length " + len + " but " + b.length + " bytes");
        if (len == 0) return "OK"; // gdb's probe for X
        return dbg.space(gHart).write(addr, b) ? "OK" : "E14";
    }

    private String writeAllRegisters(String hex) throws Rsp.Malformed {
        if (hex.length() < 65 * 16) throw new Rsp.Malformed("G too short");
        if (!dbg.parked(gHart)) return "E.hart not in user code";
        for (int i = 1; i < 65; i++) dbg.setRegister(gHart, i, Rsp.le(hex.substring(16 * i, 16 * i + 16)));
        if (hex.length() >= 65 * 16 + 3 * 8) dbg.setRegister(gHart, 67, Rsp.le(hex.substring(65 * 16 + 16, 65 * 16 + 24)));
        return "OK";
    }

    /** Index into {@link Debugger#registers} of gdb's register n, or -1. */
    private static int registerIndex(int n) {
        if (n >= 0 && n < 65) return n;
        return switch (n) {
            case TargetDescription.FFLAGS -> 65;
            case TargetDescription.FRM -> 66;
            case TargetDescription.FCSR -> 67;
            default -> -1;
        };
    }

    /** The hart a thread id names ("0" or "-1": any, so the current one if anyAllowed); -1 if none. */
    private int hartOf(String id, boolean anyAllowed) throws Rsp.Malformed {
        if (id.equals("-1") || id.equals("0")) return anyAllowed ? gHart : -1;
        long t = Rsp.number(id);
        return t >= 1 && t <= dbg.harts() ? (int) t - 1 : -1;
    }

    /** An object read in pieces (qXfer): "m" and a piece, or "l" and the last one. */
    private static String chunk(String whole, String range) throws Rsp.Malformed {
        int comma = range.indexOf(',');
        if (comma < 0) throw new Rsp.Malformed("qXfer needs offset,length");
        int off = Rsp.count(range.substring(0, comma), Integer.MAX_VALUE);
        int len = Rsp.count(range.substring(comma + 1), Connection.MAX_PACKET);
        if (off >= whole.length()) return "l";
        int end = Math.min(whole.length(), off + len);
        return (end == whole.length() ? "l" : "m") + whole.substring(off, end);
    }

    private String stopReply(Debugger.Stop s) {
        gHart = cHart = s.hart();
        StringBuilder b = new StringBuilder(s.reason() == Debugger.Reason.INTERRUPTED ? "T02" : "T05");
        b.append("thread:").append(Long.toHexString(s.hart() + 1)).append(';');
        if (dbg.hasRegisters(s.hart())) { // (else none to show: see 'g')
            long[] r = dbg.registers(s.hart());
            b.append("20:").append(Rsp.le(r[32], 8)).append(";02:").append(Rsp.le(r[2], 8)).append(';');
        }
        switch (s.reason()) {
            case BREAKPOINT -> b.append("swbreak:;");
            case WATCH -> b.append("watch:").append(Long.toHexString(s.address())).append(';');
            case READ_WATCH -> b.append("rwatch:").append(Long.toHexString(s.address())).append(';');
            case ACCESS_WATCH -> b.append("awatch:").append(Long.toHexString(s.address())).append(';');
            default -> { }
        }
        return b.toString();
    }

    /**
     * What gdb shows for a thread: the process on the hart, and its program if known. A
     * hart out of user code when the machine stops (after the harts on their way there
     * have parked: reportStopIfSettled) has nothing to run: it is idle in the kernel; the
     * one a stop names shows a task as that last entered the kernel (Debugger.settled).
     */
    String describe(int hart) {
        if (hart < 0) return "";
        long task = dbg.task(hart);
        String noun = commands.noun();
        if (!dbg.inUser(hart) && dbg.hasRegisters(hart))
            return "hart " + hart + ", idle in the kernel; shows " + noun + " " + task + " as it entered the kernel (waiting there)";
        if (!dbg.inUser(hart))
            return "hart " + hart + ", idle in the kernel (no user registers); "
                    + (task < 0 ? "no user code yet" : "last ran " + noun + " " + task);
        return "hart " + hart + ", " + noun + " " + task;
    }

    private String threadsXml() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (int i = 0; i < dbg.harts(); i++) {
            String name = dbg.hasRegisters(i) ? programs.identify(dbg.space(i)) : "idle";
            b.append("  <thread id=\"").append(Long.toHexString(i + 1)).append("\" core=\"").append(i).append('"');
            if (name != null) b.append(" name=\"").append(xml(name)).append('"');
            b.append('>').append(xml(describe(i))).append("</thread>\n");
        }
        return b.append("</threads>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
