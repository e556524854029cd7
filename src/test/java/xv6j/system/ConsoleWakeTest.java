package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * kernel-exo's LibOS at a terminal: keys another process's call takes into the file server's
 * line buffer wake a reader that the server had told to wait for keys (EV_CONSOLE, which then
 * never comes). ConsoleKeysTest's inner shell hung so, now and then, when the outer shell's
 * wait took its ^D.
 */
@Timeout(120)
class ConsoleWakeTest {
    @TempDir
    Path dir;

    @Test
    void aReaderGetsTheLineAShellsWaitTookInWhileItWasAboutToBlock() throws Exception {
        Path img = Flavour.EXO.freshImage(dir);
        try (TerminalSession t = new TerminalSession(Flavour.EXO, img)) {
            int at = t.waitFor("$ ");
            t.type("deputy readrace\n");
            at = t.waitFor("readrace: ready\n", at);
            t.type("hello\n");
            at = t.waitFor("hello\n", at);
            at = t.waitFor("readrace: read hello\nreadrace: done\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
