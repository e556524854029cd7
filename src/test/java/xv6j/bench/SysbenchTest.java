package xv6j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** user/sysbench.c on the xv6 kernel, with tiny counts and virtual time: what make bench reads is there. */
@Timeout(120)
class SysbenchTest {
    @TempDir
    Path dir;

    @Test
    void sysbenchPrintsEveryFigureMakeBenchReadsAndLeavesTheImageClean() throws Exception {
        KernelUnderTest k = KernelUnderTest.xv6(Path.of(System.getProperty("xv6j.user", "target/user")));
        Path img = k.freshImage(dir);

        KernelBench.Session s = KernelBench.boot(k, img, "sysbench -n 3\nsysbench nosuch\n", true);

        assertEquals(0, s.status(), s.output());
        Map<String, BenchLines.Measurement> ms = BenchLines.parse(s.output(), "sysbench", KernelBench.SYSBENCH);
        assertEquals(KernelBench.SYSBENCH, ms.keySet().stream().toList(), s.output());
        for (BenchLines.Measurement m : ms.values()) {
            assertEquals(3, m.iterations(), m.toString());
            assertEquals("ns/op", m.unit(), m.toString());
            assertTrue(m.value() > 0, m.toString()); // virtual time moves with every instruction
        }
        assertTrue(s.output().contains("$ sysbench nosuch\nusage: sysbench [-n N] [NAME ...]\n"), s.output());
        assertEquals(3, s.prompts().size(), "a prompt before each command and one after the last: " + s.output());
        assertTrue(Fsck.check(img).clean(), "fsck after sysbench: " + Fsck.check(img).summary());
    }
}
