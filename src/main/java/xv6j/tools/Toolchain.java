package xv6j.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The RISC-V C toolchain: clang and lld from the org.bytedeco:llvm platform jar that
 * Maven fetched for this host. JavaCPP's Loader unpacks the jar into its cache
 * (~/.javacpp/cache) and tells us where the clang executable landed; lld sits beside it.
 *
 * Nothing here looks at a system compiler: the same jar on every host gives the same code.
 */
public final class Toolchain {
    private final Path clang;
    private final Path lld;

    private Toolchain(Path clang, Path lld) {
        this.clang = clang;
        this.lld = lld;
    }

    /** Unpacks (first time only) and checks clang and lld; throws with a clear message if it cannot. */
    public static Toolchain load() throws IOException {
        String where;
        try {
            where = org.bytedeco.javacpp.Loader.load(org.bytedeco.llvm.program.clang.class);
        } catch (Throwable t) {
            throw new IOException("cannot unpack clang from org.bytedeco:llvm: " + t, t);
        }
        Path clang = Path.of(where);
        boolean windows = clang.getFileName().toString().endsWith(".exe");
        Path lld = clang.resolveSibling(windows ? "lld.exe" : "lld");
        for (Path p : List.of(clang, lld)) {
            if (!Files.isRegularFile(p)) throw new IOException("missing from the llvm jar: " + p);
            p.toFile().setExecutable(true);
        }
        addVersionedLibraryNames(clang.getParent());
        Toolchain t = new Toolchain(clang, lld);
        t.check();
        return t;
    }

    public Path clang() { return clang; }
    public Path lld() { return lld; }

    /**
     * The executables ask for libLLVM.so.MAJOR.MINOR (found through their $ORIGIN runpath),
     * but the jar ships libLLVM.so and the Loader's version of the name can lag the jar's.
     * Add the names the executables want, as links (or copies where links are refused).
     */
    private static void addVersionedLibraryNames(Path dir) throws IOException {
        String version = org.bytedeco.llvm.program.clang.class.getPackage().getImplementationVersion();
        List<String> wanted = new ArrayList<>();
        var m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version == null ? "" : version);
        if (m.find()) wanted.add(m.group(1) + "." + m.group(2));
        for (String v : wanted) {
            for (String lib : List.of("libLLVM.so", "libclang-cpp.so")) {
                Path plain = dir.resolve(lib);
                Path named = dir.resolve(lib + "." + v);
                if (Files.exists(plain) && !Files.exists(named)) {
                    try {
                        Files.createSymbolicLink(named, plain.getFileName());
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(plain, named);
                    }
                }
            }
        }
    }

    private void check() throws IOException {
        Process p = new ProcessBuilder(clang.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IOException("clang from org.bytedeco:llvm does not run on this host:\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking clang", e);
        }
    }
}
