package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jars' Main-Class, {@link JarMain}: a JVM older than xv6j needs gets one line that
 * says which Java it needs and which it found, not an UnsupportedClassVersionError with
 * its frames (what {@code java -jar target/kernel.jar} printed on Java 17 before).
 */
class JarMainTest {
    @Test
    void theMainClassIsBuiltForJava8SoAnOldJvmCanRunIt() throws Exception {
        try (InputStream in = JarMain.class.getResourceAsStream("JarMain.class")) {
            byte[] head = in.readNBytes(8);
            assertEquals(52, ((head[6] & 0xff) << 8) | (head[7] & 0xff), "class-file major version (52 is Java 8)");
        }
    }

    @Test
    void theRefusalSaysWhichJavaItNeedsWhichItFoundAndWhatToDo() {
        assertEquals("kernel: xv6j needs Java 21 or newer, and this is Java 17 (/opt/jdk-17); run it with a JDK 21+,"
                + " as scripts/kernel does (it finds one)", JarMain.refusal("kernel", "17", "/opt/jdk-17"));
        assertEquals(8, JarMain.major("1.8"));
        assertEquals(17, JarMain.major("17"));
        assertEquals(21, JarMain.major("21"));
        assertEquals(0, JarMain.major(null));
    }

    /**
     * On a host with a JDK older than 21 in /usr/lib/jvm (this one has 17 beside 25), that
     * JDK runs the class and gets one line and status 1. Skipped where there is none.
     */
    @Test
    void anOldJavaGetsOneLineAndStatusOne() throws Exception {
        Optional<Path> old = oldJava();
        assumeTrue(old.isPresent(), "no JDK older than 21 in /usr/lib/jvm");
        Path classes = Path.of(JarMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(old.get().toString(), "-cp", classes.toString(), "xv6j.tools.JarMain", "fs.img")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).matches("xv6j: xv6j needs Java 21 or newer, and this is Java (1\\.)?\\d+ \\(.*\\); run it with a JDK 21\\+.*"), out);
        assertFalse(out.contains("Exception") || out.contains("Error"), out);
    }

    /** The java of a JDK older than 21 in /usr/lib/jvm, by its release file. */
    private static Optional<Path> oldJava() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
                    .filter(h -> {
                        try {
                            String v = Files.readAllLines(h.resolve("release")).stream()
                                    .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElse("").replaceAll("[^0-9.]", "");
                            int m = JarMain.major(v);
                            return m >= 8 && m < JarMain.NEED;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    })
                    .map(h -> h.resolve("bin/java")).findFirst();
        }
    }
}
