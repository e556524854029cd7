package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserBuildTest {
    @TempDir
    Path bin;

    @Test
    void anExecutableWhoseSourceIsGoneIsRemovedSoNoImageCarriesIt() throws Exception {
        for (String name : new String[] {"cat", "ls", "oldtool"}) Files.writeString(bin.resolve(name), name);
        UserBuild.removeStale(bin, Set.of("cat", "ls", "sh"));
        try (Stream<Path> s = Files.list(bin)) {
            assertEquals(Set.of("cat", "ls"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
    }
}
