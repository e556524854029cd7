package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the programs say when they refuse: the reason, not a guess. */
@Timeout(60)
class MessagesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void killSaysWhyItRefuses(Flavour system) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir), "kill 1\nkill abc\nkill 12x\nkill 999\n");
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("$ kill 1\nkill: 1 is init, which cannot be killed\n"), out);
        assertTrue(out.contains("$ kill abc\nkill: abc is not a pid (a number, as ^P lists them)\n"), out);
        assertTrue(out.contains("$ kill 12x\nkill: 12x is not a pid"), out);
        assertTrue(out.contains("$ kill 999\nkill: no process 999\n"), out);
    }

    /**
     * A mistyped argument gets a usage line naming what is known, and runs nothing: before,
     * jitbait and badexec ran no case and said "0 cases OK", spin x spun for 0 ticks, and
     * forktest bombx ran the plain test (forktest bomb typo, a plain fork bomb).
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aMistypedArgumentGetsAUsageLineAndRunsNothing(Flavour system) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir),
                "jitbait entrys\nbadexec nosuch\nspin x\nforktest bombx\nforktest bomb typo\necho done\n");
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("$ jitbait entrys\njitbait: no case entrys; the cases: entries branches smc straight"
                + " kernelwrite recursion (or storm, alone)\n$ "), out);
        assertTrue(out.matches("(?s).*\\$ badexec nosuch\nbadexec: no case nosuch; the cases: [a-z0-9 ]+\n\\$ .*"), out);
        assertTrue(out.contains("$ spin x\nusage: spin [TICKS]\n$ "), out);
        assertTrue(out.contains("$ forktest bombx\nusage: forktest [bomb [churn|orphans|daemons]]\n$ "), out);
        assertTrue(out.contains("$ forktest bomb typo\nusage: forktest [bomb [churn|orphans|daemons]]\n$ "), out);
        assertTrue(out.contains("$ echo done\ndone\n"), out);
    }
}
