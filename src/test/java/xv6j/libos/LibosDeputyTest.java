package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file server as a confused deputy: processes that go around their LibOS and lie to
 * the server through what it shares with them (the IPC pages, pipe pages) or through the
 * protocol itself. Each program is started from the shell with kernel-exo's invariant
 * checker on; each attack must fail, and the shell and the server go on serving everyone,
 * the image fsck-clean.
 */
@Timeout(300)
class LibosDeputyTest {
    @TempDir
    Path dir;

    private String run(String script, int harts) throws Exception {
        return LibosRun.attack(dir, script, harts, 1000);
    }

    /**
     * A pipe's open ends are the server's count, not the flags in the page every holder
     * can write: a process that marks its read end closed there and closes its write end
     * keeps its pipe, reads no one else's, and cannot make the server touch a freed page.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aPipeHolderCannotLieTheServerIntoFreeingAPipeStillOpen(int harts) throws Exception {
        String out = run("deputy pipeforge\necho after\n", harts);
        assertTrue(out.contains("pipeforge: our read end still reads our own pipe: end of file\n"), out);
        assertTrue(out.contains("pipeforge: the victim reads back 20 bytes\n"), out);
        assertTrue(out.contains("pipeforge: the server kept its own count\n$ echo after\nafter\n"), out);
    }

    /**
     * A pipe's read end only takes bytes out, and its write end only puts them in, as on
     * xv6: a process holding the read end alone that stores into the pipe's ring around its
     * LibOS is killed for it, so is one holding the write end alone that moves the reader's
     * index, and a reader of the pipe gets what the writer wrote. (Every holder of an end mapped
     * the one page of a pipe writable, and the reader got "forged real".)
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aProcessHoldingOnlyTheReadEndCannotWriteIntoThePipe(int harts) throws Exception {
        String out = run("deputy pipeinject\necho after\n", harts);
        assertEquals(2, out.split("store page fault", -1).length - 1, out); // the forger and the skipper
        assertTrue(out.contains("pipeinject: the reader got: real\n$ echo after\nafter\n"), out);
    }

    /**
     * A holder of a pipe's read end cannot hold up its writers: the lock it can take is
     * the readers' own, and a write that fits goes in at once. (One lock served both ends,
     * a word in the page every holder wrote, and the writer waited the 30 ticks the
     * reader held it.)
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aProcessHoldingOnlyTheReadEndCannotHoldUpTheWriter(int harts) throws Exception {
        String out = run("deputy pipegrip\necho after\n", harts);
        assertTrue(out.contains("pipegrip: the write of 5 bytes took few ticks\n"), out);
        assertTrue(out.contains("pipegrip: the reader got 5 bytes\n$ echo after\nafter\n"), out);
    }

    /**
     * SRV_FORK_ABORT undoes only a fork still being built: a running child cannot be made to
     * vanish from the process table, leaving its children a freed slot as their parent for
     * the next process in that slot to adopt.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aParentCannotUndoTheForkOfARunningChild(int harts) throws Exception {
        String out = run("deputy forkabort\necho after\n", harts);
        assertTrue(out.contains("forkabort: undoing the fork of a running child: refused\n"), out);
        assertTrue(out.contains("forkabort: the child ran to its end and was reaped\n$ echo after\nafter\n"), out);
    }

    /**
     * A process that tells the server it exits is ended there and then: it cannot stay a
     * zombie that runs, beyond the reach of kill, until its parent waits.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aProcessThatSaysItExitsCannotRunOnAsAZombie(int harts) throws Exception {
        String out = run("deputy exitlive\necho after\n", harts);
        assertTrue(out.contains("exitlive: reaped the child by pid, status 7\n$ echo after\nafter\n"), out);
    }

    /**
     * The server serves only processes it started: a child its parent started itself,
     * while still holding its environment, gets no answer as a process.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aChildItsParentStillHoldsIsNotServedAsAProcess(int harts) throws Exception {
        String out = run("deputy embryorun\necho after\n", harts);
        assertTrue(out.contains("embryorun: a child we started ourselves: refused\nembryorun: abort ok\n$ echo after\nafter\n"), out);
    }

    /**
     * A child cannot keep a page it shared copy-on-write with its parent after fork: the
     * parent took a page back without copying once nobody else mapped it, so a child that
     * unmapped its copy but kept its capability mapped it again and read what the parent
     * wrote after the fork. The parent took back what it gave of the page first; now no
     * side of a fork keeps CAP_W on a page it shares, and the parent's write copies, so
     * the child reads the page as it was at the fork.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aForkedChildCannotReadWhatItsParentWritesAfterTheFork(int harts) throws Exception {
        String out = run("deputy cowpeek\necho after\n", harts);
        assertTrue(out.contains("cowpeek: the child reads \"as it was at the fork\"\n"), out);
        assertTrue(out.contains("cowpeek: the parent reads \"written after the fork\"\n$ echo after\nafter\n"), out);
    }

    /**
     * A parent cannot write into what its child reads or runs after fork: both map a
     * shared page read-only, but the parent's capability kept CAP_W (to take a writable
     * page back without copying once nobody else mapped it; on its text and constants it
     * always had it), so a parent that mapped it writable again wrote into its child's
     * memory, data or code. Now neither keeps CAP_W on a page it shares: the first write
     * of either side to a writable page copies.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1})
    void aParentCannotWriteIntoItsChildsMemoryAfterTheFork(int harts) throws Exception {
        String out = run("deputy cowwrite\necho after\n", harts);
        assertTrue(out.contains("cowwrite: the parent cannot map the shared writable page writable (-4)\n"
                + "cowwrite: the parent cannot map the shared read-only page writable (-4)\n"), out);
        assertTrue(out.contains("cowwrite: the child reads \"as it was at the fork\" and \"as it was linked\"\n$ echo after\nafter\n"), out);
    }

    /**
     * A parent hostile from the start keeps every right on each page it forks with (so the
     * standard fork's letting go of CAP_W leaves it those). Until the child execs, it is
     * trusted: the child runs the parent's code in the parent's memory, and reads what the
     * parent writes (docs/exo.md says why that is inherent). After the exec, the parent
     * writes through all it kept, revokes it, then revokes its own memory capability: the
     * exec'd program reads only what it wrote and runs to its end.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aParentThatKeptEveryRightOnItsPagesReachesNothingOfItsChildAfterExec(int harts) throws Exception {
        String out = run("deputy forkkeep\necho after\n", harts);
        assertTrue(out.matches("(?s).*forkkeep: after exec, the parent wrote through the [1-9]\\d* pages it kept that it shared, and revoked all \\d+\n.*"), out);
        assertTrue(out.contains("forkkeep: after exec, the program reads only what it wrote\n"), out);
        assertTrue(out.contains("$ echo after\nafter\n"), out);
    }

    /**
     * A client that calls the server directly with absurd arguments and garbage in its IPC
     * page (paths without their NUL), 3000 times, every operation that leaves it a process:
     * each call comes back, the shell's next command runs, and the image is fsck-clean.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1})
    void aClientCallingTheServerWithGarbageHarmsNoOne(int harts) throws Exception {
        String out = run("deputy srvfuzz\necho after\n", harts);
        assertTrue(out.contains("srvfuzz: 3000 calls, each came back\n$ echo after\nafter\n"), out);
    }

    /**
     * A client that packs what it likes as exec's arguments (SRV_EXEC: the server copies
     * them from the data page and builds the program from them): counts negative, past
     * LIBOS_MAXARG or huge, strings with no NUL to the page's end, one string the size of
     * the page, random bytes. Each whole and small argv runs /echo, each that is not is
     * refused and the caller goes on, and none ends its caller any other way; the shell's
     * next command runs, and the image is fsck-clean.
     */
    @Test
    void execArgumentsPackedByAHostileClientRunOrAreRefusedCleanly() throws Exception {
        String out = run("deputy execfuzz\necho after\n", 1);
        assertTrue(out.matches("(?s).*execfuzz: 60 tries, [1-9]\\d* ran, [1-9]\\d* refused, 0 ended otherwise\n\\$ echo after\nafter\n.*"), out);
    }

    /**
     * A process that fills its own capability table before it asks the server for what the
     * server must grant into it (a pipe's page, a child): each call fails cleanly, and once
     * the table is emptied the same calls work as often as before.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1})
    void aProcessWhoseCapabilityTableIsFullGetsErrorsAndTheServerLosesNothing(int harts) throws Exception {
        String out = run("deputy capfull\necho after\n", harts);
        assertTrue(out.contains("capfull: all revoked; then 20 of 20 pipes and 20 of 20 forks\n$ echo after\nafter\n"), out);
    }
}
