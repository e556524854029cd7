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
     * forktest bombx ran the plain test (forktest bomb typo, a plain fork bomb); grind x
     * ground on, maxodd x ran, fsrace x raced for 0 rounds and fsrace 10 999 ran actions
     * that do not exist. rm, mkdir and ln with too few arguments say so as the others do.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aMistypedArgumentGetsAUsageLineAndRunsNothing(Flavour system) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir),
                "jitbait entrys\nbadexec nosuch\nspin x\nforktest bombx\nforktest bomb typo\n"
                        + "grind x\nmaxodd x\nfsrace x\nfsrace 10 999\nfsrace 1 2 3\nls fsrace.d\nrm\nmkdir\nln a\necho done\n");
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("$ jitbait entrys\njitbait: no case entrys; the cases: entries branches smc straight"
                + " kernelwrite recursion (or storm, alone)\n$ "), out);
        assertTrue(out.matches("(?s).*\\$ badexec nosuch\nbadexec: no case nosuch; the cases: [a-z0-9 ]+\n\\$ .*"), out);
        assertTrue(out.contains("$ spin x\nusage: spin [TICKS]\n$ "), out);
        assertTrue(out.contains("$ forktest bombx\nusage: forktest [bomb [churn|orphans|daemons]]\n$ "), out);
        assertTrue(out.contains("$ forktest bomb typo\nusage: forktest [bomb [churn|orphans|daemons]]\n$ "), out);
        assertTrue(out.contains("$ grind x\nusage: grind   (no arguments; it runs until ^C)\n$ "), out);
        assertTrue(out.contains("$ maxodd x\nusage: maxodd   (no arguments)\n$ "), out);
        String fsrace = "usage: fsrace [ROUNDS [MASK]]   (bit i of MASK, up to 511, runs action i)\n$ ";
        assertTrue(out.contains("$ fsrace x\n" + fsrace) && out.contains("$ fsrace 10 999\n" + fsrace)
                && out.contains("$ fsrace 1 2 3\n" + fsrace), out);
        assertTrue(out.contains("$ ls fsrace.d\nls: cannot open fsrace.d\n$ "), "fsrace ran: " + out);
        // xv6's rm, mkdir and ln said "Usage:"; every program here says "usage:".
        assertTrue(out.contains("$ rm\nusage: rm files...\n$ mkdir\nusage: mkdir files...\n$ ln a\nusage: ln old new\n$ "), out);
        assertTrue(out.contains("$ echo done\ndone\n"), out);
    }

    /**
     * cd alone goes home, as in any shell: here the root, as there is no HOME; with no pwd
     * to ask, it says so (it went there without a word, and xv6-riscv's sh says "exec cd
     * failed"). With a directory it says nothing, as shells do.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void cdAloneGoesToTheRootAndSaysSo(Flavour system) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir), "mkdir d\ncd d\necho in d > f\ncd\ncat d/f\ncd d x\n");
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("$ cd d\n$ echo in d > f\n$ cd\ncd: now in / (no HOME here)\n$ cat d/f\nin d\n$ "), out);
        assertTrue(out.contains("$ cd d x\ncd: too many arguments\n$ "), out);
    }
}
