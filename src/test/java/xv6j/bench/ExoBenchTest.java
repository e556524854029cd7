package xv6j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Mkfs;

/** The exokernel benchmark's program runs to the end and reports every operation. */
@Timeout(120)
class ExoBenchTest {
    @TempDir
    Path dir;

    @Test
    void exobenchReportsEveryOperationWithItsInstructionCount() throws Exception {
        Path init = Files.copy(Path.of(System.getProperty("xv6j.user", "target/user"), "exotest", "bin", "exobench"),
                Files.createDirectories(dir.resolve("files")).resolve("init"));
        Path img = dir.resolve("fs-exo.img");
        Mkfs.build(img, List.of(init));
        Map<String, ExoBench.Loop> loops = ExoBench.boot(img);
        assertEquals(List.copyOf(ExoBench.OPS.keySet()), List.copyOf(loops.keySet()));
        // A null call is the stub (li, ecall, ret) and the loop around it: a handful of instructions.
        ExoBench.Loop nullCall = loops.get("null_call");
        assertEquals(20000, nullCall.iterations());
        assertTrue(nullCall.instructions() / nullCall.iterations() < 10, nullCall.toString());
        for (ExoBench.Loop l : loops.values()) assertTrue(l.nanos() > 0 && l.instructions() > l.iterations(), l.toString());
    }
}
