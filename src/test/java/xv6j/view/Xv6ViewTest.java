package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.FsImage;
import xv6j.kernel.Kernel;

/**
 * The live view's JSON for the xv6 kernel, checked against the kernel: each snapshot is
 * taken at the shell's prompt, when the machine waits for a line and nothing moves.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Xv6ViewTest {
    @TempDir
    Path dir;

    @Test
    void processesAndTheirPagesAreWhatTheKernelHolds() throws Exception {
        try (Session s = Session.xv6(dir)) {
            Map<String, Object> snap = s.snapshot();
            assertEquals(1L, snap.get("version"));
            assertEquals("xv6", snap.get("kernel"));
            assertEquals(false, snap.get("halted"));

            List<Map<String, Object>> procs = list(map(snap, "xv6"), "procs");
            assertEquals(2, procs.size(), "init and sh: " + procs);
            Map<String, Object> init = procs.get(0), sh = procs.get(1);
            assertEquals(List.of(1L, "init", "sleeping", "a child", 0L), List.of(init.get("pid"), init.get("name"),
                    init.get("state"), init.get("waitsOn"), init.get("parent")));
            assertEquals(List.of(2L, "sh", "sleeping", "console input", 1L), List.of(sh.get("pid"), sh.get("name"),
                    sh.get("state"), sh.get("waitsOn"), sh.get("parent")));
            assertEquals(List.of("console", "console", "console"), list(sh, "files").stream().map(f -> f.get("what")).toList());

            // xv6 maps exactly [0, sz): a process's user pages are its size in pages.
            Map<String, Object> memory = map(snap, "memory");
            long pages = (Long) memory.get("pages");
            assertEquals(128L * 1024 * 1024 / 4096, pages);
            Map<String, Long> held = held(memory);
            for (Map<String, Object> p : procs) {
                long sz = (Long) p.get("sz");
                assertEquals((sz + 4095) / 4096, (Long) p.get("pages"), "pages of " + p.get("name"));
                assertEquals(p.get("pages"), held.get("user " + p.get("pid")));
                assertEquals(p.get("tablePages"), held.get("pagetable " + p.get("pid")));
                assertTrue((Long) p.get("tablePages") >= 3, "a root, a middle and a leaf table at least");
            }
            // Free is the allocator's own count; at rest no page is between owners.
            assertEquals((long) ((Kernel) s.kernel).freePages(), held.get("free"));
            assertEquals(0L, held.getOrDefault("kernel", 0L));
            assertEquals(pages, held.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(pages, runsTotal(list0(memory, "map")));
        }
    }

    /** A name holding ESC (user/escname) is in the snapshot as ^P shows it: e\x1b[7mx. */
    @Test
    void aProcessNameWithControlBytesIsShownEscaped() throws Exception {
        try (Session s = Session.xv6(dir)) {
            s.type("escname\n");
            List<Object> names = namesOnceListed(s, "xv6", "procs");
            assertTrue(names.stream().noneMatch(n -> String.valueOf(n).contains("\u001b")), names.toString());
            s.type("bye\n");
            s.prompt();
        }
    }

    /** The names in snapshot[part][list] once one is escname's (within 30 s). */
    static List<Object> namesOnceListed(Session s, String part, String list) throws Exception {
        for (int i = 0; i < 300; i++) {
            List<Object> names = list(map(s.snapshot(), part), list).stream().map(p -> p.get("name")).toList();
            if (names.contains("e\\x1b[7mx")) return names;
            Thread.sleep(100);
        }
        throw new AssertionError("escname never listed as e\\x1b[7mx");
    }

    @Test
    void systemCallCountsGrowByWhatACommandMakes() throws Exception {
        try (Session s = Session.xv6(dir)) {
            Map<String, Long> before = syscalls(s.snapshot());
            s.command("echo hi");
            Map<String, Long> after = syscalls(s.snapshot());
            // sh forks; the child execs echo, which exits; sh waits for it.
            for (String call : List.of("fork", "exec", "exit", "wait"))
                assertEquals(1L, after.get(call) - before.get(call), call);
            // echo's one write ("hi\n", built up first) and the prompt's.
            assertEquals(2L, after.get("write") - before.get("write"));
            assertEquals(0L, after.get("unlink") - before.get("unlink"));
        }
    }

    @Test
    void sleepingProcessesShowWhatTheyWaitFor() throws Exception {
        try (Session s = Session.xv6(dir)) {
            // cat reads the console and writes into a pipe that wc reads: once both sleep,
            // the machine waits for the next line.
            s.type("cat | wc\n");
            Map<String, String> waits = null;
            for (int i = 0; i < 1000; i++) {
                waits = new HashMap<>();
                for (Map<String, Object> p : list(map(s.snapshot(), "xv6"), "procs"))
                    if (p.get("state").equals("sleeping")) waits.put((String) p.get("name"), (String) p.get("waitsOn"));
                if ("pipe read".equals(waits.get("wc")) && "console input".equals(waits.get("cat"))) break;
                Thread.sleep(10);
            }
            assertEquals("console input", waits.get("cat"), waits.toString());
            assertEquals("pipe read", waits.get("wc"), waits.toString());
            assertEquals("a child", waits.get("sh"), waits.toString());
            s.type("one line\n"); // then the end of input: cat ends, and wc counts it
        }
    }

    @Test
    void theDiskMapShowsEachFileWhereItsBlocksAre() throws Exception {
        try (Session s = Session.xv6(dir)) {
            s.command("echo hello > greeting");
            Map<String, Object> disk = map(s.snapshot(), "disk");
            FsImage fs = FsImage.open(s.machine().disk()).replayed();
            int size = fs.superBlock().size();
            assertEquals((long) s.machine().disk().blocks(), disk.get("blocks"));
            assertEquals(List.of("boot", "super", "log", "inodes", "bitmap", "data", "free", "beyond"), disk.get("roles"));

            // Every data block the bitmap marks is "data", every other one "free".
            int[] role = decode(list0(disk, "map"), s.machine().disk().blocks());
            int[] owner = decode(list0(disk, "owners"), s.machine().disk().blocks());
            for (int b = fs.superBlock().datastart(); b < size; b++)
                assertEquals(fs.isMarked(b) ? 5 : 6, role[b], "block " + b);
            assertEquals(0, role[0]);
            assertEquals(1, role[1]);
            assertEquals(2, role[fs.superBlock().logstart()]);

            // The new file: its path, its size, and its one block, owned by it.
            Map<String, Object> f = list(disk, "files").stream().filter(x -> "/greeting".equals(x.get("path"))).findFirst().orElseThrow();
            int inum = (int) (long) (Long) f.get("inum");
            assertEquals(6L, f.get("size"));
            int[] blocks = fs.blockMap(inum);
            assertEquals(1, blocks.length);
            assertEquals(inum, owner[blocks[0]]);
            for (int b = 0; b < owner.length; b++) if (b != blocks[0]) assertTrue(owner[b] != inum, "block " + b);
        }
    }

    // ---- reading the JSON ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String k) {
        return (Map<String, Object>) m.get(k);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String k) {
        return (List<Map<String, Object>>) m.get(k);
    }

    @SuppressWarnings("unchecked")
    static List<Long> list0(Map<String, Object> m, String k) {
        return (List<Long>) m.get(k);
    }

    /** Pages per owner, as "kind id" (or "kind"). */
    static Map<String, Long> held(Map<String, Object> memory) {
        Map<String, Long> held = new HashMap<>();
        for (Map<String, Object> o : list(memory, "owners"))
            held.merge(o.get("kind") + (o.containsKey("id") ? " " + o.get("id") : ""), (Long) o.get("pages"), Long::sum);
        return held;
    }

    static long runsTotal(List<Long> runs) {
        long n = 0;
        for (int i = 1; i < runs.size(); i += 2) n += runs.get(i);
        return n;
    }

    static int[] decode(List<Long> runs, int n) {
        int[] a = new int[n];
        int at = 0;
        for (int i = 0; i < runs.size(); i += 2) {
            for (long k = 0; k < runs.get(i + 1); k++) a[at++] = (int) (long) runs.get(i);
        }
        assertEquals(n, at, "runs cover the map exactly");
        return a;
    }

    static Map<String, Long> syscalls(Map<String, Object> snap) {
        Map<String, Long> m = new HashMap<>();
        for (Map<String, Object> c : list(map(snap, "xv6"), "syscalls")) m.put((String) c.get("name"), (Long) c.get("count"));
        return m;
    }
}
