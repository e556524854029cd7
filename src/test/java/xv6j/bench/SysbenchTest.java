package xv6j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** user/sysbench.c on each kernel, with tiny counts and virtual time: what make bench reads is there. */
@Timeout(120)
class SysbenchTest {
    @TempDir
    Path dir;

    static List<KernelUnderTest> kernels() {
        return KernelUnderTest.all(Path.of(System.getProperty("xv6j.user", "target/user")));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sysbenchPrintsEveryFigureMakeBenchReadsAndLeavesTheImageClean(KernelUnderTest k) throws Exception {
        assumeTrue(k.built(), "the build made no programs for " + k.name());
        Path img = k.freshImage(dir);

        KernelBench.Session s = KernelBench.boot(k, img, "sysbench -n 3\nsysbench nosuch\n", true);

        assertEquals(0, s.status(), s.output());
        Map<String, BenchLines.Measurement> ms = BenchLines.parse(s.output(), "sysbench", KernelBench.SYSBENCH);
        assertEquals(KernelBench.SYSBENCH, ms.keySet().stream().toList(), s.output());
        for (BenchLines.Measurement m : ms.values()) {
            assertEquals(3, m.iterations(), m.toString());
            assertEquals("ns/op", m.unit(), m.toString());
        }
        assertTrue(s.output().contains("$ sysbench nosuch\nusage: sysbench [-i] [-n N] [NAME ...]\n"), s.output());
        assertEquals(3, s.prompts().size(), "a prompt before each command and one after the last: " + s.output());
        assertTrue(Fsck.check(img).clean(), "fsck after sysbench: " + Fsck.check(img).summary());
    }
}
