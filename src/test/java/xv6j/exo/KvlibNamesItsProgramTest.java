package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kvlib is the run-time of more than kv: pager is built on it too. Its messages name the
 * program that runs it, not kv. Booted as /init (the boot loader's first environment, with
 * no file server to hand out a block range), each says so under the name it was started
 * by (init, there); pager used to say "kv: start kv from the shell".
 */
@Timeout(60)
class KvlibNamesItsProgramTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"kv", "pager"})
    void bootedAsInitItSaysToStartItFromTheShellUnderItsOwnName(String program) throws Exception {
        ExoRun.Result r = ExoRun.boot(ExoRun.image(dir, ExoRun.program("exo", program)), "", ExoRun.Options.defaults());
        assertTrue(r.output().contains("init: needs the file server: run it from the shell, not as the first program\n"), r.toString());
    }
}
