package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages stay acyclic: xv6j.libos (what the tools know of the standard LibOS) names
 * no kernel, and kernel-exo's Snapshot names no LibOS. kernel-exo's messages and the
 * monitor may ask xv6j.libos for a name; the other way round would make the LibOS's
 * layout and the kernel one tangle. Read from the sources, comments dropped: no boot.
 */
class LibosKnowsNoKernelTest {
    private static final Path MAIN = Path.of("src/main/java/xv6j");
    private static final Pattern PACKAGE = Pattern.compile("\\bxv6j\\.(\\w+)");

    @Test
    void libosNamesOnlyTheMachineOfXv6j() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN.resolve("libos"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = PACKAGE.matcher(code(Files.readString(f)));
                while (m.find())
                    if (!m.group(1).equals("libos") && !m.group(1).equals("machine"))
                        found.add(f.getFileName() + " names xv6j." + m.group(1));
            }
        }
        assertEquals(List.of(), found, "xv6j.libos depends on no kernel package");
    }

    @Test
    void kernelExosSnapshotNamesNoLibos() throws IOException {
        String snapshot = code(Files.readString(MAIN.resolve("exo/Snapshot.java")));
        assertEquals(-1, snapshot.indexOf("xv6j.libos"), "Snapshot imports xv6j.libos");
        assertEquals(-1, snapshot.indexOf("Uproc"), "Snapshot names Uproc");
    }

    /** Java source without its comments (no string in these files holds a comment's opener). */
    static String code(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}
