package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * kv, the second LibOS's application, in the same boot as the standard LibOS: its data
 * lives in its own disk blocks, and capabilities keep the two LibOSes out of each
 * other's blocks.
 */
@Timeout(300)
class KvTest {
    @TempDir
    Path dir;

    @Test
    void kvKeepsItsRecordsInItsOwnBlocksAcrossBoots() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String first = LibosRun.boot(img, "kv put colour blue\nkv put shape round box\nkv del colour\n").output();
        assertTrue(first.contains("$ kv del colour\n$ "), first);
        String second = LibosRun.boot(img, "kv get shape\nkv get colour\nkv list\n").output();
        assertTrue(second.contains("$ kv get shape\nround box\n"), second);
        assertTrue(second.contains("colour: not found\n"), second);
        assertTrue(second.contains("$ kv list\nshape=round box\n"), second);
        // kv wrote nothing inside the file system.
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    @Test
    void kvReadsCommandsFromItsStandardInputThroughTheFileServersConsole() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "kv\nput a 1\nget a\nquit\necho back\n").output();
        assertTrue(out.contains("kv> get a\n1\n"), out);
        assertTrue(out.contains("$ echo back\nback\n"), out);
    }

    @Test
    void kvsCapabilityReachesNoFileSystemBlock() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "kv check\n").output();
        assertTrue(out.contains("read of file-system block 1 with kv's disk capability: E_RANGE"), out);
        assertTrue(out.contains("kv: check passed"), out);
    }

    @Test
    void aStandardProcessReachesNoDiskBlockAndIsRefusedKvsRange() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "capcheck\n").output();
        assertTrue(out.contains(": 0 not refused"), out);
        assertTrue(out.contains("the file server refuses kv's block range"), out);
        assertTrue(out.contains("capcheck: passed"), out);
    }

    @Test
    void withoutBlocksAfterTheFileSystemKvSaysSoAndExits() throws Exception {
        Path img = dir.resolve("small.img");
        xv6j.tools.Mkfs.build(img, LibosRun.programs());
        LibosRun.Result r = LibosRun.boot(img, "kv list\necho after\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("kv: the file server gives no block range to this program"), r.output());
        assertTrue(r.output().contains("$ echo after\nafter\n"), r.output());
    }
}
