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
        assertArrayEquals("last".getBytes(), c.nextLine(), "a last line without newline still arrives");
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
    void ctrlATwiceSendsOneCtrlAAndCtrlAWithAnotherKeySendsBoth() throws Exception {
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
            assertEquals(List.of(1, 1, (int) 'q', -1), got);
        }
    }

    @Test
    void closeRunsTheTerminalRestorer() {
        boolean[] restored = {false};
        Console c = new Console(in(""), new ByteArrayOutputStream(), true, () -> restored[0] = true);
        c.close();
        assertTrue(restored[0]);
    }
}
