package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConsoleTest {

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void batchInputComesOneLineAtATimeThenNull() throws Exception {
        Console c = Console.batch(in("ls\necho hi\nlast"), new ByteArrayOutputStream());
        c.startLines();
        assertArrayEquals("ls\n".getBytes(), c.nextLine());
        assertArrayEquals("echo hi\n".getBytes(), c.nextLine());
        assertArrayEquals("last\n".getBytes(), c.nextLine(), "a last line without newline arrives with one, so the shell runs it");
        assertNull(c.nextLine());
        assertTrue(c.ended());
        assertNull(c.nextLine(), "the end stays the end");
    }

    @Test
    void outputReachesTheStreamWhenFlushed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console c = Console.batch(in(""), out);
        c.write("hello".getBytes(), 0, 5);
        c.putc('\n');
        c.flush();
        assertEquals("hello\n", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void ctrlAThenXQuitsAndIsNotDelivered() throws Exception {
        List<Integer> got = new ArrayList<>();
        CountDownLatch quit = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Console c = new Console(in("a\u0001xb"), new ByteArrayOutputStream(), true, () -> {});
        c.onQuit(quit::countDown);
        c.startInterrupts(ch -> {
            synchronized (got) {
                got.add(ch);
            }
            if (ch < 0) end.countDown();
        });
        assertTrue(quit.await(5, TimeUnit.SECONDS));
        assertTrue(end.await(5, TimeUnit.SECONDS));
        synchronized (got) {
            assertEquals(List.of((int) 'a', (int) 'b', -1), got);
        }
    }

    @Test
    void ctrlATwiceSendsOneCtrlAAndCtrlAWithAKeyOfNoMeaningIsIgnored() throws Exception {
        List<Integer> got = new ArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        Console c = new Console(in("\u0001\u0001\u0001q"), new ByteArrayOutputStream(), true, () -> {});
        c.startInterrupts(ch -> {
            synchronized (got) {
                got.add(ch);
            }
            if (ch < 0) end.countDown();
        });
        assertTrue(end.await(5, TimeUnit.SECONDS));
        synchronized (got) {
            assertEquals(List.of(1, -1), got);
        }
    }

    @Test
    void ctrlAThenHListsTheConsolesKeysOnALineOfItsOwn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch end = new CountDownLatch(1);
        Console c = new Console(in("\u0001h"), out, true, () -> {});
        c.write("$ ".getBytes(), 0, 2);
        c.startInterrupts(ch -> {
            if (ch < 0) end.countDown();
            else throw new AssertionError("delivered " + ch);
        });
        assertTrue(end.await(5, TimeUnit.SECONDS));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("$ \nThe console's keys:\n") && s.contains("Ctrl-A c") && s.contains("^C interrupts"), s);
        assertTrue(s.endsWith("^P lists the processes.\n$ "), "the prompt drawn again after the list: " + s);
    }

    /** A kernel as a monitor would see it, with one task. */
    private static final KernelView ONE_TASK = oneTask("environment");

    /** The same, its tasks called noun. */
    private static KernelView oneTask(String noun) {
        return new KernelView() {
        public String kernelName() { return "test"; }
        public String taskNoun() { return noun; }
        public List<Task> tasks() { return List.of(new Task(7, -1, "kv", "runnable", 3, "")); }
        public List<HartState> harts() { return List.of(new HartState(0, "env 7 (kv)", 0x1000, 42)); }
        public java.util.Optional<List<Capability>> capabilities(long task) {
            if (task != 7) throw new IllegalArgumentException("no environment " + task);
            return java.util.Optional.of(List.of(new Capability(0, "blocks", "rw", "blocks 2000..2999")));
        }
        public Memory memory() { return new Memory(10, 100); }
        public Blocks blocks() { return new Blocks(5, 50, 1000); }
        public String kill(long id) {
            if (id != 7) throw new IllegalArgumentException("no environment " + id);
            return "destroyed env 7\n";
        }
        public String killGroup(long pgid) { throw new IllegalArgumentException("no groups here"); }
        public String killAll() { return "destroyed 1 environment\n"; }
        };
    }

    @Test
    void theMonitorsKillsAnswerAWrongIdOrUsageInOneLine() {
        Monitor m = new Monitor(ONE_TASK);
        assertEquals("destroyed env 7\n", m.run("kill 7").text());
        assertEquals("kill: no environment 8\n", m.run("kill 8").text());
        assertEquals("kill: not a number: seven\n", m.run("kill seven").text());
        assertEquals("kill: not a number: x\n", m.run("kill -g x").text());
        assertEquals("kill: no groups here\n", m.run("kill -g 3").text());
        assertEquals("usage: kill ID (an environment's id, as ps shows it), or kill -g PGID\n", m.run("kill").text());
        assertEquals("usage: kill ID (an environment's id, as ps shows it), or kill -g PGID\n", m.run("kill 1 2").text());
        assertEquals("usage: kill ID (an environment's id, as ps shows it), or kill -g PGID\n", m.run("kill -g").text());
        assertEquals("usage: kill ID (a process's id, as ps shows it), or kill -g PGID\n",
                new Monitor(oneTask("process")).run("kill").text(), "xv6's noun takes its article");
        assertEquals("usage: killall (no arguments)\n", m.run("killall 3").text());
        assertEquals("destroyed 1 environment\n", m.run("killall").text());
        assertEquals("no kernel is running\n", new Monitor(null).run("killall").text());
        assertTrue(Monitor.HELP.contains("killall") && Monitor.HELP.contains("kill ID"), Monitor.HELP);
    }

    @Test
    void theMonitorAnswersAndHoldsTheMachinesOutputUntilTheConsoleIsBack() throws Exception {
        java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console c = new Console(new java.io.PipedInputStream(keys), out, true, () -> {});
        c.attach(ONE_TASK);
        CountDownLatch quit = new CountDownLatch(1);
        c.onQuit(quit::countDown);
        CountDownLatch end = new CountDownLatch(1);
        c.startInterrupts(ch -> {
            if (ch < 0) end.countDown();
        });
        try {
            keys.write("\u0001cps\ncaps 7\ncaps 8\nfree\nharts\n".getBytes());
            keys.flush();
            waitFor(out, "(monitor) harts\nhart 0: env 7 (kv)");
            c.write("while you looked\n".getBytes(), 0, 17);
            String during = out.toString(StandardCharsets.UTF_8);
            assertTrue(!during.contains("while you looked"), during);
            assertTrue(during.contains("    7      -  kv             runnable    12 KiB"), during);
            assertTrue(during.contains("     0  blocks   rw     blocks 2000..2999\n1 capability\n"), during);
            assertTrue(during.contains("caps: no environment 8\n"), during);
            assertTrue(during.contains("memory: 10 of 100 pages free (40 KiB of 400 KiB)\ndisk:   5 of 50 data blocks"
                    + " of the file system free; 1,000 blocks after it\n"), during);
            keys.write("\u0001c".getBytes());
            keys.flush();
            waitFor(out, "while you looked\n");
            keys.write("\u0001cquit\n".getBytes());
            keys.flush();
            assertTrue(quit.await(5, TimeUnit.SECONDS), "quit in the monitor stops the machine as Ctrl-A x does");
        } finally {
            endInput(keys, end);
        }
    }

    /**
     * Ctrl-A c, a command, Ctrl-A c: the user is back where they were, the prompt and the
     * half-typed line drawn again (edits included) and what the machine printed meanwhile
     * after it. Before, the console came back on a blank line.
     */
    @Test
    void leavingTheMonitorDrawsThePromptAndTheHalfTypedLineAgain() throws Exception {
        java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console c = new Console(new java.io.PipedInputStream(keys), out, true, () -> {});
        c.attach(ONE_TASK);
        CountDownLatch end = new CountDownLatch(1);
        c.startInterrupts(ch -> {
            if (ch < 0) end.countDown();
        });
        try {
            // A finished line, then the prompt and "ecx" typed, x rubbed out (as an echo does it).
            byte[] typed = "done\n$ ecx\b \b".getBytes(StandardCharsets.UTF_8);
            c.write(typed, 0, typed.length);
            keys.write("\u0001cps\n".getBytes());
            keys.flush();
            waitFor(out, "1 environment\n(monitor) ");
            c.write("ho".getBytes(), 0, 2); // echoed while the monitor has the terminal: held
            keys.write("\u0001c".getBytes());
            keys.flush();
            waitFor(out, "(monitor) \n$ ecx\b \bho");
            String s = out.toString(StandardCharsets.UTF_8);
            assertTrue(s.endsWith("(monitor) \n$ ecx\b \bho"), s);
        } finally {
            endInput(keys, end);
        }
    }

    /**
     * Closes a test's keyboard and waits for the console's input thread to say so (-1, its
     * last act): the thread ends with its test, not blocked in a read for as long as the
     * JVM runs, holding the console.
     */
    private static void endInput(java.io.PipedOutputStream keys, CountDownLatch end) throws Exception {
        keys.close();
        assertTrue(end.await(5, TimeUnit.SECONDS), "the console's input thread outlived its keyboard");
    }

    private static void waitFor(ByteArrayOutputStream out, String text) throws InterruptedException {
        for (int i = 0; i < 500 && !out.toString(StandardCharsets.UTF_8).contains(text); i++) Thread.sleep(10);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(text), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closeEndsAnUnfinishedLineSoTheHostPromptStartsOnItsOwn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console c = new Console(in(""), out, true, () -> {});
        c.write("$ ".getBytes(), 0, 2);
        c.close();
        assertEquals("$ \n", out.toString(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        Console done = Console.batch(in(""), out2);
        done.write("ok\n".getBytes(), 0, 3);
        done.close();
        assertEquals("ok\n", out2.toString(StandardCharsets.ISO_8859_1), "a finished line gets no blank one");
    }

    @Test
    void closeRunsTheTerminalRestorer() {
        boolean[] restored = {false};
        Console c = new Console(in(""), new ByteArrayOutputStream(), true, () -> restored[0] = true);
        c.close();
        assertTrue(restored[0]);
    }
}
