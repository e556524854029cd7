package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** Boots xv6 and uses its shell as a person would, checking what it prints. */
@Timeout(120)
class ShellSessionTest {
    @TempDir
    Path dir;

    private XvRun.Result session(String script) throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, script);
        assertEquals(0, r.status(), r.output());
        assertTrue(Fsck.check(img).clean(), "fsck after the session: " + Fsck.check(img).summary());
        return r;
    }

    @Test
    void bootsToAShellPromptAndHaltsCleanlyAtTheEndOfTheScript() throws Exception {
        XvRun.Result r = session("");
        assertTrue(r.output().startsWith("init: starting sh\n$ "), r.output());
    }

    @Test
    void lsListsTheRootDirectoryWithTypesInodesAndSizes() throws Exception {
        String out = session("ls\n").output();
        assertTrue(out.contains(".              1 1 "), out);
        assertTrue(out.matches("(?s).*\\ncat +2 \\d+ \\d+\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nconsole +3 \\d+ 0\\n.*"), out);
    }

    /** A file named with a trailing slash: before, ls printed its line with no name at all. */
    @Test
    void lsOfAFileWithATrailingSlashSaysItIsNotADirectory() throws Exception {
        String out = session("ls README/\n").output();
        assertTrue(out.contains("$ ls README/\nls: README/: not a directory\n"), out);
    }

    @Test
    void echoRedirectedToAFileIsReadBackByCat() throws Exception {
        String out = session("echo hi there > f\ncat f\n").output();
        assertTrue(out.contains("$ cat f\nhi there\n"), out);
    }

    @Test
    void aPipelineFeedsOneProgramIntoTheNext() throws Exception {
        String out = session("echo one two three | wc\n").output();
        assertTrue(out.contains("1 3 14 \n"), out); // xv6 prints the (empty) name after a space
    }

    @Test
    void mkdirCdAndRelativePathsWork() throws Exception {
        String out = session("mkdir d\ncd d\necho x > y\nls\ncd ..\ncat d/y\n").output();
        assertTrue(out.matches("(?s).*\\ny +2 \\d+ 2\\n.*"), out);
        assertTrue(out.contains("$ cat d/y\nx\n"), out);
    }

    @Test
    void rmRemovesAFile() throws Exception {
        String out = session("echo a > gone\nrm gone\ncat gone\n").output();
        assertTrue(out.contains("cat: cannot open gone"), out);
    }

    @Test
    void aBackgroundJobRunsWhileTheShellTakesTheNextCommand() throws Exception {
        String out = session("forktest &\necho next\n").output();
        assertTrue(out.contains("next\n"), out);
        assertTrue(out.contains("fork test OK"), out);
    }

    @Test
    void listsAndParenthesesGroupCommands() throws Exception {
        String out = session("(echo a; echo b) > ab\ncat ab\n").output();
        assertTrue(out.contains("$ cat ab\na\nb\n"), out);
    }
}
