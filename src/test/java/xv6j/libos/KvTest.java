package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** kv at its prompt; its opening line names every command, format too (it left format out). */
    @Test
    void kvReadsCommandsFromItsStandardInputThroughTheFileServersConsole() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "kv\nput a 1\nget a\nquit\necho back\n").output();
        assertTrue(out.contains("$ kv\nkv: one command a line (or several, between ';', committed together): put KEY VALUE,"
                + " get KEY, del KEY, list, stats, check, bench [KEYS]; quit (or ^D) to leave;"
                + " 'kv format', at the shell, makes the store new and empty\nkv> "), out);
        assertTrue(out.contains("kv> get a\n1\n"), out);
        assertTrue(out.contains("$ echo back\nback\n"), out);
    }

    /** A command kv cannot run gets one line saying what was wrong with it, then the usage; 'help' gets the usage alone. */
    @Test
    void kvSaysWhatWasWrongWithACommand() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "kv frob\nkv get\nkv\nformat\nquit\nkv quit\nkv help\n").output();
        String usage = "; usage: put KEY VALUE | get KEY | del KEY | list | stats | check | format | bench [KEYS] | quit\n";
        assertTrue(out.contains("$ kv frob\nkv: frob: no such command" + usage), out);
        assertTrue(out.contains("$ kv get\nkv: get: wrong number of words" + usage), out);
        assertTrue(out.contains("kv> format\nkv: format: only as 'kv format', from the shell" + usage), out);
        assertTrue(out.contains("$ kv quit\nkv: quit: only at the kv> prompt" + usage), out);
        assertTrue(out.contains("$ kv help\nusage: put KEY VALUE"), out); // (help asked for is no error)
    }

    @Test
    void kvsCapabilityReachesNoFileSystemBlock() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "kv check\n").output();
        assertTrue(out.contains("read of file-system block 1 with kv's disk capability: E_RANGE"), out);
        assertTrue(out.contains("kv: check passed"), out);
    }

    @Test
    void aStandardProcessReachesNoDiskBlockCannotBuildKvsEnvironmentNorFillTheServersTable() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String out = LibosRun.boot(img, "capcheck\n").output();
        assertTrue(out.contains(": 0 not refused"), out);
        assertTrue(out.contains("the file server does not let a process build /kv's environment (it loads /kv itself: yes)"), out);
        assertTrue(out.contains("a capability put into the file server's table: E_RIGHTS"), out);
        assertTrue(out.contains("capcheck: passed"), out);
    }

    /** 12.12: storage is configuration (/storage), not code: a second program gets a range of its own. */
    @Test
    void aProgramListedInTheStorageTableGetsItsOwnRangeKeptApartFromKvs() throws Exception {
        Path bin = dir.resolve("bin");
        java.nio.file.Files.createDirectories(bin);
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (Path p : LibosRun.programs()) {
            if (p.getFileName().toString().equals("storage")) continue;
            files.add(p);
            if (p.getFileName().toString().equals("kv")) files.add(java.nio.file.Files.copy(p, bin.resolve("kv2")));
        }
        files.add(java.nio.file.Files.writeString(bin.resolve("storage"), "/kv 0 500\n/kv2 500 400\n/nothing 900 10\n/kv 400 200\n"));
        Path img = dir.resolve("fs-exo.img");
        xv6j.tools.Mkfs.build(img, files, xv6j.fs.Fs.FSSIZE, xv6j.fs.Fs.NINODES, LibosRun.EXTRA_BLOCKS);
        String out = LibosRun.boot(img, "kv put a one\nkv2 put a two\nkv get a\nkv2 get a\nkv2 check\n").output();
        assertTrue(out.contains("fsserver: /storage, line 3: no such program: ignored\n"), out);
        assertTrue(out.contains("fsserver: /storage, line 4: overlaps an earlier line: ignored\n"), out);
        assertTrue(out.contains("$ kv get a\none\n"), out);
        assertTrue(out.contains("$ kv2 get a\ntwo\n"), out);
        assertTrue(out.contains("kv: check passed"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * kv's durability protocol, counted: a change is one block write and one flush, and the
     * changes of one line (between ';') are one of each together (group commit). Counted
     * as what a session adds to a boot that only lists.
     */
    @Test
    void aChangeCostsOneBlockWriteAndOneFlushAndALineOfChangesTheSame() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.boot(img, "kv list\n");   // the store made: its super written
        long[] idle = count(img, "kv list\n");
        long[] changes = count(img, "kv\nput a 1\nput b 2\ndel a\nput c 3; put d 4; del b; put e five\nquit\n");
        assertEquals(4, changes[0] - idle[0], "block writes to kv's range");
        assertEquals(4, changes[1] - idle[1], "disk forces");
        String out = LibosRun.boot(img, "kv list\n").output();
        assertTrue(out.contains("$ kv list\n") && out.contains("c=3\n") && out.contains("d=4\n") && out.contains("e=five\n"), out);
        assertFalse(out.contains("a=") || out.contains("b="), out);
    }

    /** Writes to kv's blocks and the disk's forces during a boot typing script. */
    private static long[] count(Path img, String script) throws Exception {
        long[] n = new long[2];
        LibosRun.Result r = LibosRun.boot(img, script, new xv6j.machine.Disk.Observer() {
            @Override
            public void wrote(int blockno, byte[] data) {
                if (blockno >= xv6j.fs.Fs.FSSIZE) n[0]++;
            }

            @Override
            public void forced() {
                n[1]++;
            }
        });
        assertEquals(0, r.status(), r.output());
        return n;
    }

    @Test
    void aFullStoreRefusesAPutAndKeepsEverythingElse() throws Exception {
        // 6 blocks: a super and 5 of log, of which live records may fill half of 2 (876 bytes
        // at most, room for eight records of a 2-byte key and a 95-byte value).
        Path img = LibosRun.freshImage(dir, "small.img", "/kv 0 6\n", 6);
        StringBuilder script = new StringBuilder("kv\n");
        String value = "x".repeat(95);
        for (int i = 0; i < 10; i++) script.append("put k").append(i).append(' ').append(value).append('\n');
        script.append("del k0\nput k9 ").append(value).append("\nput k1 y\nquit\nkv list\n");
        String out = LibosRun.boot(img, script.toString()).output();
        assertTrue(out.contains("kv> put k8 " + value + "\nkv: the store is full\n"), out);
        assertTrue(out.contains("kv> put k9 " + value + "\nkv: the store is full\n"), out);
        String list = out.substring(out.lastIndexOf("$ kv list\n"));
        for (int i : new int[] {2, 3, 4, 5, 6, 7, 9}) assertTrue(list.contains("k" + i + "=" + value + "\n"), list);
        assertTrue(list.contains("k1=y\n") && !list.contains("k0=") && !list.contains("k8="), list);
    }

    @Test
    void aStoreOfKvsFirstFormatIsRefusedUntilFormatMakesANewOne() throws Exception {
        Path img = LibosRun.freshImage(dir);
        byte[] bytes = java.nio.file.Files.readAllBytes(img);
        byte[] old = "KVS1".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(old, 0, bytes, xv6j.fs.Fs.FSSIZE * xv6j.fs.Fs.BSIZE, old.length);
        java.nio.file.Files.write(img, bytes);
        String out = LibosRun.boot(img, "kv list\nkv put a 1\nkv format\nkv put a 1\nkv get a\n").output();
        assertTrue(out.contains("$ kv list\nkv: kv's blocks hold a store of kv's first format (KVS1)"), out);
        assertTrue(out.contains("$ kv get a\n1\n"), out);
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
