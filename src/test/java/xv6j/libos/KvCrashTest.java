package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.exo.Boot;
import xv6j.fs.Fs;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * kv loses no acknowledged change, whatever state a crash leaves its blocks in.
 *
 * <p>A disk makes a write durable only when it is forced, and the writes since the last
 * force may reach the platter in any number and order: a crash leaves the writes forced
 * so far plus any subset of those since. The test gives kv a small range (12 blocks, so
 * that its log wraps around and its cleaner runs several times), types a few hundred
 * changes at its prompt in two sessions — single ones and groups on one line, committed
 * together — and records every write and force through the disk's observer, and how many
 * forces had been made when each prompt acknowledged a line. Then, for every force, it
 * rebuilds each image a crash in the writes after it could leave (every subset when there
 * are few, else none, all, each prefix and a few more), and has kv itself recover each:
 * one boot runs {@code kv list} once per image, the image put into kv's blocks just before
 * (at the shell's prompt). What kv lists must be the history of changes up to some point:
 * every change acknowledged before the crash, and a prefix of the rest.
 */
@Timeout(300)
class KvCrashTest {
    private static final int BLOCKS = 12;
    private static final int KEYS = 8, COLD = 4;

    @TempDir
    Path dir;

    /** A change: put key=value, or delete key (value null). */
    private record Op(String key, String value) {}

    /** A line typed at kv's prompt: its text and the changes it makes, [from, to) of all. */
    private record Line(String text, int from, int to) {}

    /** One block write, its data copied when made. */
    private record Write(int blockno, byte[] data) {}

    /** A state kv's blocks can be left in, and how many changes were acknowledged by then. */
    private record Crash(byte[] blocks, int acked, int force) {}

    @Test
    void everyStateACrashCanLeaveKvsBlocksInRecoversEveryAcknowledgedChange() throws Exception {
        List<Op> ops = new ArrayList<>();
        List<List<Line>> sessions = List.of(lines(ops, 150, new Random(15)), lines(ops, 150, new Random(16)));

        // 1. The changes, recorded.
        StringBuilder script = new StringBuilder();
        for (List<Line> s : sessions) {
            script.append("kv\n");
            for (Line l : s) script.append(l.text()).append('\n');
            script.append(s == sessions.get(1) ? "stats\nquit\n" : "quit\n");
        }
        Recorder rec = new Recorder();
        String out = boot(image("record.img"), script.toString(), rec);
        Matcher stats = Pattern.compile("kv: .* (\\d+) blocks cleaned, (\\d+) records moved,").matcher(out);
        assertTrue(stats.find(), out);
        assertTrue(Integer.parseInt(stats.group(2)) > 0, "the cleaner moved records in the second session: " + stats.group());
        assertTrue(rec.pending.isEmpty(), "kv's last writes were forced before it said so");

        // Acknowledged changes by the forces made when each prompt came: the k-th prompt of
        // a session (k >= 1) acknowledges its line k-1.
        int[] ackedAt = new int[rec.forces + 1];
        int p = 0;
        for (List<Line> s : sessions) {
            int prompts = s.size() + (s == sessions.get(1) ? 2 : 1);
            for (int k = 0; k < prompts; k++, p++) {
                if (k == 0 || k > s.size()) continue;
                int f = rec.prompts.get(p);
                for (int g = f; g < ackedAt.length; g++) ackedAt[g] = Math.max(ackedAt[g], s.get(k - 1).to());
            }
        }
        assertEquals(p, rec.prompts.size(), out);

        // 2. Every state a crash can leave, once each (with the most acknowledged changes it must hold).
        Map<String, Crash> crashes = new LinkedHashMap<>();
        byte[] durable = new byte[BLOCKS * Fs.BSIZE];
        for (int f = 0; f < rec.batches.size(); f++) {
            List<Write> batch = rec.batches.get(f);
            for (long keep : subsets(batch.size())) {
                byte[] b = durable.clone();
                for (int i = 0; i < batch.size(); i++) if ((keep >> i & 1) != 0) apply(b, batch.get(i));
                Crash c = new Crash(b, ackedAt[f], f);
                crashes.merge(new String(b, StandardCharsets.ISO_8859_1), c, (x, y) -> x.acked() >= y.acked() ? x : y);
            }
            for (Write w : batch) apply(durable, w);
        }
        List<Crash> all = List.copyOf(crashes.values());
        assertTrue(all.size() > 200, all.size() + " states");

        // 3. kv recovers each.
        String listed = boot(image("check.img"), "kv list\n".repeat(all.size()), new Replayer(all));
        String[] runs = listed.split("\\$ kv list\n", -1);
        assertEquals(all.size() + 1, runs.length, listed);
        for (int i = 0; i < all.size(); i++) {
            Crash c = all.get(i);
            Map<String, String> got = parse(runs[i + 1], c);
            if (!prefixOf(ops, got, c.acked()))
                fail("after force " + c.force() + " of " + rec.forces + ", with " + c.acked() + " changes acknowledged, kv listed "
                        + got + ", which is no history of " + c.acked() + " changes or more");
        }
    }

    /**
     * n lines of changes to KEYS hot keys and COLD cold ones, each line one change or a group
     * of several (within the console's 128 bytes a line), appended to ops.
     */
    private static List<Line> lines(List<Op> ops, int n, Random r) {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int from = ops.size();
            boolean group = r.nextInt(10) < 3;
            StringBuilder text = new StringBuilder();
            do {
                // Most changes go to a few hot keys; a cold key is put once in a while and
                // left, so the blocks the cleaner empties hold live records to move.
                boolean cold = r.nextInt(100) < 2;
                String key = cold ? "c" + r.nextInt(COLD) : "k" + r.nextInt(KEYS), cmd;
                Op op;
                if (cold || r.nextInt(100) < 65) {
                    StringBuilder v = new StringBuilder("v" + ops.size() + "-");
                    int len = 10 + r.nextInt(50);
                    while (v.length() < len) v.append((char) ('a' + r.nextInt(26)));
                    op = new Op(key, v.toString());
                    cmd = "put " + key + " " + v;
                } else {
                    op = new Op(key, null);
                    cmd = "del " + key;
                }
                if (text.length() > 0 && text.length() + 2 + cmd.length() > 120) break;
                ops.add(op);
                text.append(text.length() > 0 ? "; " : "").append(cmd);
            } while (group);
            lines.add(new Line(text.toString(), from, ops.size()));
        }
        return lines;
    }

    /** Which writes of a batch of n a crash may have let through: every subset when few, else a choice. */
    private static List<Long> subsets(int n) {
        List<Long> s = new ArrayList<>();
        if (n <= 8) {
            for (long k = 0; k < 1L << n; k++) s.add(k);
            return s;
        }
        long all = (1L << n) - 1;
        s.addAll(List.of(0L, all, 1L << (n - 1), all & ~1L, 0x5555555555555555L & all, 0xAAAAAAAAAAAAAAAAL & all));
        for (int p = 1; p < n; p++) s.add((1L << p) - 1);
        return s;
    }

    /** Whether got is the store after some prefix of ops at least acked long. */
    private static boolean prefixOf(List<Op> ops, Map<String, String> got, int acked) {
        Map<String, String> state = new TreeMap<>();
        for (int p = 0; p <= ops.size(); p++) {
            if (p >= acked && state.equals(got)) return true;
            if (p == ops.size()) break;
            Op op = ops.get(p);
            if (op.value() == null) state.remove(op.key());
            else state.put(op.key(), op.value());
        }
        return false;
    }

    private static Map<String, String> parse(String run, Crash c) {
        Map<String, String> m = new TreeMap<>();
        for (String line : run.split("\n")) {
            if (line.isEmpty() || line.equals("$ ")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) fail("after force " + c.force() + ", kv list printed: " + run);
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    private static void apply(byte[] blocks, Write w) {
        System.arraycopy(w.data(), 0, blocks, (w.blockno() - Fs.FSSIZE) * Fs.BSIZE, Fs.BSIZE);
    }

    /** A fresh image whose /storage gives kv BLOCKS blocks. */
    private Path image(String name) throws Exception {
        return LibosRun.freshImage(dir, name, "/kv 0 " + BLOCKS + "\n", BLOCKS);
    }

    /**
     * Boots kernel-exo with the standard LibOS (one hart, virtual time) on img, typing
     * script, with watch seeing the console's output and the disk's writes and forces.
     */
    private static String boot(Path img, String script, Watch watch) throws Exception {
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), watch);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Disk disk = Disk.open(img, false)) {
            watch.disk = disk;
            disk.observe(watch);
            int status = Boot.boot(Machine.create(128L << 20, 1, disk, console, new Clock.Virtual()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String out = watch.text() + err.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, out);
            return out;
        }
    }

    /** The console's output, with a call at each prompt; the disk's writes to kv's blocks and its forces. */
    private abstract static class Watch extends OutputStream implements Disk.Observer {
        private final StringBuilder text = new StringBuilder();
        private int lineStart;
        Disk disk;

        /** The shell's "$ " or kv's "kv> " began a line. */
        abstract void prompt(boolean shell);

        /** Block b of kv's range was written. */
        abstract void wroteKv(int blockno, byte[] data);

        @Override
        public synchronized void write(int b) {
            text.append((char) (b & 0xff));
            int n = text.length() - lineStart;
            if (b == '\n') lineStart = text.length();
            else if (n == 2 && text.charAt(lineStart) == '$' && b == ' ') prompt(true);
            else if (n == 4 && text.indexOf("kv> ", lineStart) == lineStart) prompt(false);
        }

        @Override
        public synchronized void wrote(int blockno, byte[] data) {
            if (blockno >= Fs.FSSIZE && blockno < Fs.FSSIZE + BLOCKS) wroteKv(blockno, data);
        }

        synchronized String text() {
            return text.toString();
        }
    }

    /** Records kv's writes between forces, and the forces made by each kv prompt. */
    private static final class Recorder extends Watch {
        final List<List<Write>> batches = new ArrayList<>();
        final List<Write> pending = new ArrayList<>();
        final List<Integer> prompts = new ArrayList<>();
        int forces;

        @Override
        void prompt(boolean shell) {
            if (!shell) prompts.add(forces);
        }

        @Override
        void wroteKv(int blockno, byte[] data) {
            pending.add(new Write(blockno, data.clone()));
        }

        @Override
        public synchronized void forced() {
            batches.add(List.copyOf(pending));
            pending.clear();
            forces++;
        }
    }

    /** Puts the next crash state into kv's blocks at each shell prompt. */
    private static final class Replayer extends Watch {
        private final List<Crash> crashes;
        private final byte[] current = new byte[BLOCKS * Fs.BSIZE];
        private int next;

        Replayer(List<Crash> crashes) {
            this.crashes = crashes;
        }

        @Override
        void prompt(boolean shell) {
            if (!shell || next == crashes.size()) return;
            byte[] want = crashes.get(next++).blocks();
            for (int b = 0; b < BLOCKS; b++) {
                int off = b * Fs.BSIZE;
                if (!Arrays.equals(want, off, off + Fs.BSIZE, current, off, off + Fs.BSIZE))
                    disk.write(Fs.FSSIZE + b, Arrays.copyOfRange(want, off, off + Fs.BSIZE));
            }
        }

        @Override
        void wroteKv(int blockno, byte[] data) {
            System.arraycopy(data, 0, current, (blockno - Fs.FSSIZE) * Fs.BSIZE, Fs.BSIZE);
        }

        @Override
        public void forced() {}
    }
}
