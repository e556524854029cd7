package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * The standard LibOS on kernel-exo, used through its shell as a person would: the same
 * programs as on the xv6 kernel, over processes, files, pipes and a console made in user
 * space out of capabilities.
 */
@Timeout(300)
class LibosShellTest {
    @TempDir
    Path dir;

    private String session(String script) throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, script);
        assertEquals(0, r.status(), r.output());
        assertTrue(Fsck.check(img).clean(), "fsck after the session: " + Fsck.check(img).summary());
        return r.output();
    }

    @Test
    void firstEnvironmentStartsTheFileServerWhichStartsInitAndTheShell() throws Exception {
        String out = session("");
        assertTrue(out.startsWith("init: starting sh\n$ "), out);
    }

    @Test
    void lsListsTheRootWithTheConsoleNodeInitMade() throws Exception {
        String out = session("ls\n");
        assertTrue(out.matches("(?s).*\\nkv +2 \\d+ \\d+\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nconsole +3 \\d+ 0\\n.*"), out);
    }

    @Test
    void pipelinesRedirectionsAndDirectoriesWork() throws Exception {
        String out = session("echo one two three | wc\nmkdir d\ncd d\necho hi > f\ncat < f | cat\ncd ..\ncat d/f\n");
        assertTrue(out.contains("1 3 14 \n"), out);
        assertTrue(out.contains("$ cat < f | cat\nhi\n"), out);
        assertTrue(out.contains("$ cat d/f\nhi\n"), out);
    }

    @Test
    void consoleInputIsLineEditedByTheLibos() throws Exception {
        // Backspace (DEL) erases a character, ^U the line; ^D ends cat's input. Each line
        // is echoed as it is typed, which a batch console does when someone waits for input.
        String out = session("echo ab\u007fc\necho junk\u0015echo kept\ncat\nline one\n\u0004echo after\n");
        assertTrue(out.contains("$ echo ab\b \bc\nac\n"), out);
        assertTrue(out.contains("\b \becho kept\nkept\n"), out);
        assertTrue(out.contains("$ cat\nline one\nline one\n"), out);
        assertTrue(out.contains("\u0004echo after\n$ after\n"), out);
    }

    @Test
    void controlPListsTheProcessesTheFileServerKnows() throws Exception {
        String out = session("\u0010\n");
        assertTrue(out.matches("(?s).*\\n1 \\w+ +init\\n2 \\w+ +sh\\n.*"), out);
    }

    @Test
    void killEndsAProcessBlockedReadingTheConsoleAtOnce() throws Exception {
        String out = session("killread\n");
        assertTrue(out.matches("(?s).*killread: child \\d+ exited with -1, \\d ticks after the kill: passed\\n.*"), out);
    }

    @Test
    void aProgramBuiltForTheXv6KernelDiesWithTheExokernelsMessage() throws Exception {
        Path img = LibosRun.freshImage(dir);
        // Replace echo with the xv6 kernel's build of it.
        Path xv6echo = Path.of(System.getProperty("xv6j.user", "target/user"), "kernel", "bin", "echo");
        java.util.List<Path> files = new java.util.ArrayList<>(LibosRun.programs());
        files.removeIf(p -> p.getFileName().toString().equals("echo"));
        Path renamed = dir.resolve("echo");
        java.nio.file.Files.copy(xv6echo, renamed);
        files.add(renamed);
        xv6j.tools.Mkfs.build(img, files);
        String out = LibosRun.boot(img, "echo hi\nls echo\n").output();
        assertTrue(out.contains("this program was built for the xv6 kernel"), out);
        assertTrue(out.matches("(?s).*\\necho +2 \\d+ \\d+\\n.*"), "the shell goes on: " + out);
    }

    @Test
    void usertestsQuickSubsetPassesOnTwoHarts() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "usertests -q\n", 2, false);
        assertTrue(r.output().contains("ALL TESTS PASSED"), "status " + r.status() + ": " + r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
