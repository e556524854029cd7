package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.view.Xv6ViewTest.decode;
import static xv6j.view.Xv6ViewTest.held;
import static xv6j.view.Xv6ViewTest.list;
import static xv6j.view.Xv6ViewTest.map;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.exo.Exokernel;
import xv6j.exo.Invariants;
import xv6j.fs.Fs;

/**
 * The live view's JSON for kernel-exo, checked against the kernel: snapshots taken while
 * the machine waits for a typed line, after commands that grant and revoke.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExoViewTest {
    @TempDir
    Path dir;

    @Test
    void environmentsCapabilitiesAndPagesAreWhatTheKernelHolds() throws Exception {
        try (Session s = Session.exo(dir)) {
            Exokernel k = (Exokernel) s.kernel;
            Map<String, Object> snap = s.snapshot();
            assertEquals("kernel-exo", snap.get("kernel"));
            Map<String, Object> exo = map(snap, "exo");
            List<Map<String, Object>> envs = list(exo, "envs");
            List<Map<String, Object>> caps = list(exo, "caps");

            // The LibOS's names, from its hand-off in each environment's memory.
            Map<String, Map<String, Object>> byName = new HashMap<>();
            for (Map<String, Object> e : envs) if (e.get("name") != null) byName.put((String) e.get("name"), e);
            assertEquals(0L, byName.get("fsserver").get("pid"));
            assertEquals(1L, byName.get("init").get("pid"));
            assertEquals(2L, byName.get("sh").get("pid"));
            assertEquals("known", map(byName.get("fsserver"), "pct").get("policy"), "the file server takes calls from its own");
            assertEquals(byName.get("fsserver").get("id"), byName.get("sh").get("parent"));
            assertEquals(true, byName.get("sh").get("cpu"), "a process holds a CPU capability");
            assertTrue(caps.stream().anyMatch(c -> c.get("env").equals(byName.get("sh").get("id")) && c.get("type").equals("cpu")));

            // Every environment the JSON lists is one the kernel knows, with the caps it counts;
            // every capability's parent is in the list.
            Set<String> keys = new HashSet<>();
            for (Map<String, Object> c : caps) keys.add(c.get("env") + "." + c.get("handle"));
            for (Map<String, Object> e : envs) {
                int id = (int) (long) (Long) e.get("id");
                assertTrue(k.env(id) != null, "env " + id);
                long n = caps.stream().filter(c -> c.get("env").equals(e.get("id"))).count();
                assertEquals(e.get("caps"), n, "capabilities of env " + id);
            }
            for (Map<String, Object> c : caps) {
                @SuppressWarnings("unchecked")
                List<Long> p = (List<Long>) c.get("parent");
                if (p != null) assertTrue(keys.contains(p.get(0) + "." + p.get(1)), "parent of " + c);
            }

            // Pages: free is the kernel's count; each environment's page-table pages are its count;
            // a mapped page is held by someone.
            Map<String, Object> memory = map(snap, "memory");
            Map<String, Long> held = held(memory);
            assertEquals((long) k.freePages(), held.get("free"));
            assertEquals(0L, held.getOrDefault("kernel", 0L));
            for (Map<String, Object> e : envs) assertEquals(e.get("tablePages"), held.getOrDefault("pagetable " + e.get("id"), 0L));
            int pages = (int) (long) (Long) memory.get("pages");
            int[] owner = decode(Xv6ViewTest.list0(memory, "map"), pages);
            List<Map<String, Object>> owners = list(memory, "owners");
            long basePpn = (Long) memory.get("base") / 4096;
            for (Map<String, Object> c : caps) {
                if (!c.get("type").equals("page")) continue;
                Map<String, Object> o = owners.get(owner[(int) ((Long) c.get("first") - basePpn)]);
                assertTrue(o.get("kind").equals("page") || o.get("kind").equals("shared"), c + " is on a page held as " + o);
            }
            assertEquals(List.of(), Invariants.check(k), "the snapshot changed nothing");
        }
    }

    @Test
    void kvHoldsABlockCapabilityForItsRangeWhileItRuns() throws Exception {
        try (Session s = Session.exo(dir)) {
            int blocks = s.machine().disk().blocks();
            s.type("kv\n");
            s.waitFor("kv> ");
            s.answer("put greeting hello", "kv> ");
            Map<String, Object> exo = map(s.snapshot(), "exo");
            long kv = list(exo, "envs").stream().filter(e -> "kv".equals(e.get("name"))).findFirst().orElseThrow().get("id") instanceof Long l ? l : -1;
            // kv's range: the blocks past the file system, derived from the file server's own.
            Map<String, Object> range = list(exo, "caps").stream()
                    .filter(c -> c.get("env").equals(kv) && c.get("type").equals("blocks")).findFirst().orElseThrow();
            assertEquals((long) Fs.FSSIZE, range.get("first"));
            assertEquals(1000L, range.get("count"), "kv's line in /storage: /kv 0 1000");
            assertTrue(blocks - Fs.FSSIZE >= 1000, "the blocks after the file system hold kv's");
            @SuppressWarnings("unchecked")
            List<Long> parent = (List<Long>) range.get("parent");
            Map<String, Object> from = list(exo, "caps").stream()
                    .filter(c -> c.get("env").equals(parent.get(0)) && c.get("handle").equals(parent.get(1))).findFirst().orElseThrow();
            assertEquals("fsserver", list(exo, "envs").stream().filter(e -> e.get("id").equals(parent.get(0))).findFirst().orElseThrow().get("name"));
            assertEquals("blocks", from.get("type"));
            // kv's blocks are drawn past the file system.
            Map<String, Object> disk = map(s.snapshot(), "disk");
            int[] role = decode(Xv6ViewTest.list0(disk, "map"), blocks);
            for (int b = Fs.FSSIZE; b < blocks; b++) assertEquals(7, role[b], "block " + b + " is beyond the file system");

            s.type("quit\n");
            s.prompt();
            exo = map(s.snapshot(), "exo");
            assertTrue(list(exo, "envs").stream().noneMatch(e -> "kv".equals(e.get("name"))), "kv is gone");
            assertTrue(list(exo, "caps").stream().noneMatch(c -> c.get("env").equals(kv)), "and all it held");
        }
    }

    /** A name holding ESC (user/escname) is in the snapshot as ^P and the monitor show it: e\x1b[7mx. */
    @Test
    void anEnvironmentsNameWithControlBytesIsShownEscaped() throws Exception {
        try (Session s = Session.exo(dir)) {
            s.type("escname\n");
            List<Object> names = Xv6ViewTest.namesOnceListed(s, "exo", "envs");
            assertTrue(names.stream().noneMatch(n -> String.valueOf(n).contains("\u001b")), names.toString());
            s.type("bye\n");
            s.prompt();
        }
    }

    @Test
    void aRevocationTakesTheSubtreeAndItsMappingsAndIsAmongTheEvents() throws Exception {
        try (Session s = Session.exo(dir)) {
            int m = s.mark();
            s.type("revokedemo\n");
            s.waitFor("the child closes its ends", m);
            Map<String, Object> exo = map(s.snapshot(), "exo");
            List<Long> demo = list(exo, "envs").stream().filter(e -> "revokedemo".equals(e.get("name"))).map(e -> (Long) e.get("id")).toList();
            assertEquals(2, demo.size(), "the process and its child");
            long pipe = pipePage(exo, demo);
            assertEquals(2, mapped(exo, pipe, demo).size(), "both map the pipe's page");

            // The child closes its ends: the server revokes its branch.
            m = s.mark();
            s.type("\n");
            s.waitFor("the parent closes the pipe", m);
            exo = map(s.snapshot(), "exo");
            assertEquals(List.of(demo.get(0)), mapped(exo, pipe, demo).stream().map(c -> (Long) c.get("env")).distinct().toList());
            Map<String, Object> revoke = list(exo, "events").stream()
                    .filter(e -> e.get("kind").equals("revoke") && ((String) e.get("text")).contains("env " + demo.get(1) + " h"))
                    .findFirst().orElseThrow(() -> new AssertionError("no revocation of the child's grant among the events"));
            String fsserver = String.valueOf(list(exo, "envs").stream().filter(e -> "fsserver".equals(e.get("name"))).findFirst().orElseThrow().get("id"));
            assertEquals(fsserver, String.valueOf(revoke.get("env")), "the file server revokes");
            assertTrue(((String) revoke.get("text")).startsWith("env " + fsserver + " (fsserver) revokes handle "), revoke.toString());
            // A call names its caller as the monitor's ps would: id, program, LibOS pid.
            assertTrue(list(exo, "events").stream().anyMatch(e -> e.get("kind").equals("pct-call") && demo.contains(e.get("env"))
                    && ((String) e.get("text")).matches("env " + e.get("env") + " \\(revokedemo, pid \\d+\\) calls env " + fsserver + " \\(fsserver\\)")),
                    "revokedemo's calls to the file server among the events");
            assertTrue(((String) revoke.get("text")).contains("and 1 mappings"), revoke.toString());

            // The parent closes it too: the last branch goes and the page is free.
            m = s.mark();
            s.type("\n");
            s.waitFor("revokedemo: done", m);
            s.prompt();
            Map<String, Object> snap = s.snapshot();
            exo = map(snap, "exo");
            assertTrue(list(exo, "caps").stream().noneMatch(c -> c.get("type").equals("page") && c.get("first").equals(pipe)),
                    "no capability names the pipe's page");
            Map<String, Object> memory = map(snap, "memory");
            int[] owner = decode(Xv6ViewTest.list0(memory, "map"), (int) (long) (Long) memory.get("pages"));
            long basePpn = (Long) memory.get("base") / 4096;
            assertEquals("free", list(memory, "owners").get(owner[(int) (pipe - basePpn)]).get("kind"));
        }
    }

    /** The page both demo environments map through capabilities the file server derived for them. */
    private static long pipePage(Map<String, Object> exo, List<Long> demo) {
        Map<Long, Set<Object>> mappers = new HashMap<>();
        for (Map<String, Object> c : list(exo, "caps")) {
            @SuppressWarnings("unchecked")
            List<Long> p = (List<Long>) c.get("parent");
            if (c.get("type").equals("page") && demo.contains(c.get("env")) && p != null && !demo.contains(p.get(0))
                    && !((List<?>) c.get("mappings")).isEmpty())
                mappers.computeIfAbsent((Long) c.get("first"), f -> new HashSet<>()).add(c.get("env"));
        }
        return mappers.entrySet().stream().filter(e -> e.getValue().size() == 2).findFirst().orElseThrow().getKey();
    }

    /** The demo environments' capabilities for page that have a mapping. */
    private static List<Map<String, Object>> mapped(Map<String, Object> exo, long page, List<Long> demo) {
        return list(exo, "caps").stream().filter(c -> c.get("type").equals("page") && c.get("first").equals(page)
                && demo.contains(c.get("env")) && !((List<?>) c.get("mappings")).isEmpty()).toList();
    }
}
