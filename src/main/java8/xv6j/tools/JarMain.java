package xv6j.tools;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The Main-Class of every jar (kernel, kernel-exo, mkfs, fsck). It alone is compiled for
 * Java 8 (pom.xml, the compiler's "java8" execution), so that a JVM older than xv6j needs
 * runs it and is told so in one line, where loading the tool itself would stop with an
 * UnsupportedClassVersionError and its frames. On Java 21 or newer it hands over to the
 * tool its jar's manifest names (Xv6j-Tool). The call is an ordinary one: the JVM loads
 * the tool's class, built for 21, only when the call is first made.
 */
public final class JarMain {
    /** The release pom.xml compiles everything else for. */
    static final int NEED = 21;

    private JarMain() {}

    public static void main(String[] args) {
        String tool = tool();
        String found = System.getProperty("java.specification.version");
        if (major(found) < NEED) {
            System.err.println(refusal(tool, found, System.getProperty("java.home")));
            System.exit(1);
        }
        if (tool == null) {
            System.err.println("xv6j: run a jar of target/ (kernel, kernel-exo, mkfs, fsck): this one names no tool");
            System.exit(2);
        }
        switch (tool) {
            case "kernel": xv6j.kernel.Boot.main(args); break;
            case "kernel-exo": xv6j.exo.Boot.main(args); break;
            case "mkfs": Mkfs.main(args); break;
            case "fsck": Fsck.main(args); break;
            default:
                System.err.println("xv6j: this jar names a tool there is none of: " + tool);
                System.exit(2);
        }
    }

    /**
     * The one line for a JVM too old: which Java xv6j needs, which it found and where, and
     * what to do. tool may be null (not run from a jar).
     */
    static String refusal(String tool, String version, String home) {
        return (tool == null ? "xv6j" : tool) + ": xv6j needs Java " + NEED + " or newer, and this is Java "
                + version + " (" + home + "); run it with a JDK " + NEED + "+, as scripts/"
                + (tool == null ? "kernel" : tool) + " does (it finds one)";
    }

    /** A java.specification.version's major number: "1.8" is 8, "17" is 17; 0 if unreadable. */
    static int major(String version) {
        if (version == null) return 0;
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }

    /** The Xv6j-Tool of the jar this class was loaded from, or null (a classes folder, no such entry). */
    private static String tool() {
        try {
            CodeSource src = JarMain.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            File f = new File(src.getLocation().toURI());
            if (!f.isFile()) return null;
            try (JarFile jar = new JarFile(f)) {
                Manifest m = jar.getManifest();
                return m == null ? null : m.getMainAttributes().getValue("Xv6j-Tool");
            }
        } catch (IOException | URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
