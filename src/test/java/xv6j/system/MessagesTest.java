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
}
