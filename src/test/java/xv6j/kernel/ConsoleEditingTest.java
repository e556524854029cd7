package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The console driver edits lines in the kernel, as xv6's does, before a program reads them. */
@Timeout(60)
class ConsoleEditingTest {
    @TempDir
    Path dir;

    private String run(String script) throws Exception {
        XvRun.Result r = XvRun.boot(XvRun.freshImage(dir), script);
        assertEquals(0, r.status(), r.output());
        return r.output();
    }

    @Test
    void backspaceAndDeleteEraseTheLastCharacter() throws Exception {
        String out = run("echo hellx\bo wrq\u007fld\n");
        assertTrue(out.contains("\nhello wrld\n"), out);
        assertTrue(out.contains("\b \b"), "erasing echoes backspace, space, backspace: " + out);
    }

    @Test
    void ctrlUErasesTheWholeLine() throws Exception {
        String out = run("echo wrong\u0015echo right\n");
        assertTrue(out.contains("\nright\n"), out);
        assertTrue(!out.contains("\nwrong"), out);
    }

    @Test
    void ctrlDEndsTheInputOfAProgramReadingTheConsole() throws Exception {
        // cat copies what it reads until read returns 0; ^D makes it 0, and the shell is back.
        String out = run("cat\nabc\n\u0004echo after\n");
        assertTrue(out.contains("abc\nabc\n"), "typed line echoed, then cat's copy: " + out);
        assertTrue(out.contains("$ after\n"), "the rest of the line after ^D goes to the shell: " + out);
    }

    @Test
    void ctrlPListsTheProcesses() throws Exception {
        String out = run("\u0010\n");
        assertTrue(out.matches("(?s).*\\n1 sleep +init\\n2 (run|sleep) +sh\\n.*"), out);
    }
}
