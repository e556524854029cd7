package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A program's name is whatever exec was given: user/escname runs itself as "e ESC [7m x"
 * (reverse video on, were it printed raw). ^P and the monitor's ps show that name with
 * ESC as \x1b, and so does the line about a process killed for a fault (the xv6
 * kernel's; on kernel-exo the LibOS's, printed by the program itself, user/libos/fault.c);
 * no ESC reaches the terminal at all. (kernel-exo's own lines name an environment by id.
 * The report of a batch script nothing can wake: BatchModeTest.)
 */
@Timeout(120)
class ControlBytesInNamesTest {
    private static final String SHOWN = "e\\x1b[7mx";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void caretPTheMonitorAndAFaultLineShowANameWithEscEscapedAndNeverSendItRaw(Flavour system) throws Exception {
        try (TerminalSession t = new TerminalSession(system, system.freshImage(dir))) {
            int at = t.waitFor("$ ");
            t.type("escname\n");
            at = t.waitForAsleep(at, SHOWN, 1);
            String ps = t.monitor(at, "ps");
            at += ps.length();
            assertTrue(ps.matches("(?s).*\\n +\\d+ +\\d+ +" + java.util.regex.Pattern.quote(SHOWN) + " .*"), ps);
            t.type("bye\n");
            at = t.waitFor("$ ", at);
            t.type("escname\n");
            at = t.waitForAsleep(at, SHOWN, 1);
            t.type("fault\n");
            at = t.waitFor(" " + SHOWN + ": store page fault at pc ", at);
            t.waitFor("$ ", at);
            assertFalse(t.screen().contains("\u001b"), "an ESC reached the terminal:\n" + t.screen());
        }
    }
}
