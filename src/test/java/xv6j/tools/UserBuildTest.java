package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void twoProgramsOfOneNameInOneImageAreRefusedBeforeAnythingIsBuilt(@TempDir Path src) throws Exception {
        Files.createDirectories(src.resolve("libos/lib"));
        Files.createDirectories(src.resolve("mine/minelib"));
        Files.writeString(src.resolve("cat.c"), "int main(void) { return 0; }\n");
        Files.writeString(src.resolve("mine/cat.c"), "int main(void) { return 0; }\n");
        UserBuild.BuildFailure e = assertThrows(UserBuild.BuildFailure.class, () -> UserBuild.build(src, src.resolve("out")));
        assertEquals("cat.c and mine/cat.c would both be exo/bin/cat: rename one", e.getMessage());
    }

    @Test
    void anExecutableWhoseSourceIsGoneIsRemovedSoNoImageCarriesIt() throws Exception {
        for (String name : new String[] {"cat", "ls", "oldtool"}) Files.writeString(bin.resolve(name), name);
        UserBuild.removeStale(bin, Set.of("cat", "ls", "sh"));
        try (Stream<Path> s = Files.list(bin)) {
            assertEquals(Set.of("cat", "ls"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
    }
}
