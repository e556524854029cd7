package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * setpgid and getpgrp on both kernels ({@code user/pgroups.c}): a child is in its forker's
 * group and an orphan keeps it, setpgid puts the caller or a child in a new group or one
 * the caller or a child of it is in (never init's) and refuses the rest; and the shell
 * puts a foreground command in its
 * own group (not init's) and a background one in a group the command leads, which is
 * what lets ^C kill the one and spare the other (ForkBombTest, ConsoleKeysTest).
 */
@Timeout(120)
class ProcessGroupTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void groupsAreInheritedKeptByOrphansAndMovedOnlyAsSetpgidAllows(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "pgroups\npgroups where\npgroups where &\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertTrue(out.contains("pgroups OK\n") && !out.contains("FAIL"), out);
        assertTrue(out.contains("pgroups: in its shell's group\n"), "a foreground command:\n" + out);
        assertTrue(out.contains("pgroups: leads its group\n"), "a background command:\n" + out);
    }
}
