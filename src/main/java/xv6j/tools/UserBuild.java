package xv6j.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Builds the C side of xv6j: every program under user/ becomes a RISC-V ELF executable,
 * compiled by clang and linked by lld at address 0 with user/user.ld. Run by Maven
 * (process-classes), so `make` and `make test` always see fresh binaries.
 *
 * <p>What is built is decided by where a file is, never by a list here: adding a program
 * or a library OS is adding a file or a folder.
 * <pre>
 *   user/*.c            programs of both kernels     -> target/user/kernel/bin, target/user/exo/bin
 *   user/libos/         the standard LibOS (kernel-exo only), linked into every exo program:
 *     *.c lib/*.c         the LibOS each process carries
 *     fs/*.c server/*.c   the file server, linked into init only (the boot loader starts
 *                         /init as the first environment, and it becomes the file server)
 *     prog/*.c            programs of the standard LibOS that only kernel-exo has
 *     root/*              files its image carries besides programs (the file server's
 *                         /storage), copied beside them -> target/user/exo/bin
 *     test/*.c            unit tests of its pure parts   -> target/user/test/bin
 *     test/support/*.c    what those tests share (a RAM disk, an fsck)
 *   user/X/ with user/X/Xlib/
 *                       a LibOS of its own (user/kv/ is one): Xlib/*.c and *.S are its
 *                       run-time, linked with user/exosys.S (the exokernel's call stubs) and
 *                       user/libos/lib/ (pure helpers) into each program user/X/*.c
 *                                                    -> target/user/exo/bin
 *   user/exo/*.c        exokernel test programs, without a LibOS: user/exosys.S (the
 *                       exokernel's call stubs) and user/exo/runtime/ -> target/user/exotest/bin
 *   user/test/*.c       machine tests (test harness)  -> target/user/test/bin
 *   user/bench/*.c      CPU benchmark workloads       -> target/user/bench/bin
 * </pre>
 *
 * Each folder bin/ has a sibling debug/ with the same executables linked with their
 * debugging information (DWARF, from -g) and symbols, for gdb ({@code make qemu-gdb}); the
 * images get bin/'s, whose loaded segments are the same bytes. Nothing at run time reads
 * an image's symbols (exec, the LibOS's loader and the boot loader read only the program
 * headers; gdb and the monitor name programs from debug/), so bin/'s carry none.
 *
 * <p>The programs that go into images (kernel, exo) are packed: their segments follow one
 * another in the file, not each at a page boundary of the file as they are in memory
 * (lld's --nmagic). exec reads a segment from any file offset; only its address must be
 * page-aligned, and the linker script still puts each there. Packing and dropping the
 * symbols make a LibOS program (the LibOS linked into each) about 19 KiB instead of 42, so
 * the images have room for usertests and a user's own programs (docs/design.md, "Room on
 * the images"). The harness's and the benchmarks' programs keep page-aligned offsets:
 * qemu-riscv64 maps their segments from the file, which needs offset and address to agree
 * modulo the page size.
 *
 * <p>Two programs that would land in one folder under one name are refused. Only what
 * changed is rebuilt: an object is recompiled when its source or any header clang listed
 * in its dependency file is newer; an executable is relinked when any of its objects is
 * newer.
 */
public final class UserBuild {
    /** Flags every C file is compiled with (docs/design.md: the C side). */
    static final List<String> CFLAGS = List.of(
            "--target=riscv64-unknown-elf", "-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany",
            "-ffreestanding", "-nostdlib", "-fno-common", "-fno-builtin", "-fno-stack-protector",
            "-ffunction-sections", "-fdata-sections",
            "-O2", "-g", "-Wall", "-Werror", "-Wno-unused-function");

    /** The flavours whose programs go into disk images, linked packed (see above). */
    static final Set<String> IMAGE_FLAVOURS = Set.of("kernel", "exo");

    /** Library sources of user/ that are not programs (xv6's ULIB). */
    static final Set<String> ULIB = Set.of("ulib.c", "printf.c", "umalloc.c");

    private final Toolchain tc;
    private final Path src;
    private final Path out;
    private final ExecutorService pool;

    private UserBuild(Toolchain tc, Path src, Path out, ExecutorService pool) {
        this.tc = tc;
        this.src = src;
        this.out = out;
        this.pool = pool;
    }

    /**
     * One kind of executable: its output folder, runtime objects and program sources, and
     * sources that only some programs link (by program name).
     */
    private record Flavour(String name, List<Path> runtime, List<Path> programs, List<String> defines, Path script,
                           Map<String, List<Path>> extras) {
        Flavour(String name, List<Path> runtime, List<Path> programs, List<String> defines, Path script) {
            this(name, runtime, programs, defines, script, Map.of());
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: UserBuild USER-SOURCE-DIR OUTPUT-DIR");
            System.exit(2);
        }
        try {
            int linked = build(Path.of(args[0]), Path.of(args[1]));
            System.out.println("user build: " + linked + " executable(s) relinked under " + Path.of(args[1]).toAbsolutePath());
        } catch (BuildFailure | IOException e) {
            System.err.println("user build failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Builds every program of the tree src into out; returns how many were relinked. */
    public static int build(Path src, Path out) throws BuildFailure, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            return new UserBuild(Toolchain.load(), src.toAbsolutePath(), out.toAbsolutePath(), pool).buildAll();
        } finally {
            pool.shutdownNow();
        }
    }

    /** A compile or link error; the tool's own output has already been printed. */
    public static final class BuildFailure extends Exception {
        BuildFailure(String message) { super(message); }
    }

    private int buildAll() throws IOException, BuildFailure {
        Path script = src.resolve("user.ld");
        List<Flavour> flavours = new ArrayList<>();

        List<Path> ulib = new ArrayList<>();
        for (String f : List.of("ulib.c", "printf.c", "umalloc.c")) if (Files.exists(src.resolve(f))) ulib.add(src.resolve(f));
        List<Path> programs = cFiles(src).stream().filter(p -> !ULIB.contains(p.getFileName().toString())).toList();

        List<Path> kernelRt = new ArrayList<>(ulib);
        if (Files.exists(src.resolve("usys.S"))) kernelRt.add(src.resolve("usys.S"));
        flavours.add(new Flavour("kernel", kernelRt, programs, List.of("-DXV6J_KERNEL"), script));

        Path libos = src.resolve("libos");
        if (Files.isDirectory(libos)) {
            List<Path> exoRt = new ArrayList<>(ulib);
            exoRt.addAll(sources(libos));
            exoRt.addAll(sources(libos.resolve("lib")));
            List<Path> exoProgs = new ArrayList<>(programs);
            exoProgs.addAll(cFiles(libos.resolve("prog")));
            exoRt.add(src.resolve("exosys.S"));
            // The first environment (/init) starts the file server from its own image, so
            // only init carries it.
            List<Path> server = new ArrayList<>(sources(libos.resolve("fs")));
            server.addAll(sources(libos.resolve("server")));
            flavours.add(new Flavour("exo", exoRt, exoProgs, List.of("-DXV6J_EXO"), script, Map.of("init", server)));
        }

        // LibOSes of their own, by convention: user/X/ with a run-time in user/X/Xlib/.
        for (Path d : subfolders(src)) {
            Path lib = d.resolve(d.getFileName() + "lib");
            if (!Files.isDirectory(lib)) continue;
            List<Path> rt = new ArrayList<>(sources(lib));
            rt.add(src.resolve("exosys.S"));
            rt.addAll(sources(libos.resolve("lib")));
            flavours.add(new Flavour("exo", rt, cFiles(d), List.of("-DXV6J_EXO"), script));
        }

        Path exo = src.resolve("exo");
        if (Files.isDirectory(exo)) {
            Path rtDir = exo.resolve("runtime");
            List<Path> rt = new ArrayList<>(sources(rtDir));
            rt.add(src.resolve("exosys.S"));
            flavours.add(new Flavour("exotest", rt, cFiles(exo), List.of("-DXV6J_EXO", "-I" + rtDir), rtDir.resolve("exo.ld")));
        }

        Path test = src.resolve("test");
        if (Files.isDirectory(test)) {
            List<Path> rt = sources(test.resolve("runtime"));
            flavours.add(new Flavour("test", rt, cFiles(test), List.of("-DXV6J_HARNESS"), script));
            // The LibOS's pure parts (its file system over a RAM disk, ...), run on the harness.
            if (Files.isDirectory(libos.resolve("test"))) {
                List<Path> lrt = new ArrayList<>(rt);
                lrt.addAll(sources(libos.resolve("lib")));
                lrt.addAll(sources(libos.resolve("fs")));
                lrt.addAll(sources(libos.resolve("test").resolve("support")));
                flavours.add(new Flavour("test", lrt, cFiles(libos.resolve("test")), List.of("-DXV6J_HARNESS"), script));
            }
        }
        Path bench = src.resolve("bench");
        if (Files.isDirectory(bench)) {
            List<Path> rt = sources(test.resolve("runtime"));
            flavours.add(new Flavour("bench", rt, cFiles(bench), List.of("-DXV6J_HARNESS"), script));
        }

        // Several flavours may share an output folder (exo: the standard LibOS's programs,
        // kv's, and any other LibOS's); one name there must come from one source.
        Map<String, Map<String, Path>> built = new java.util.TreeMap<>();
        for (Flavour f : flavours) {
            Map<String, Path> names = built.computeIfAbsent(f.name(), n -> new java.util.HashMap<>());
            for (Path p : f.programs()) {
                Path other = names.putIfAbsent(stripExtension(p.getFileName().toString()), p);
                if (other != null && !other.equals(p))
                    throw new BuildFailure(src.relativize(other) + " and " + src.relativize(p) + " would both be "
                            + f.name() + "/bin/" + stripExtension(p.getFileName().toString()) + ": rename one");
            }
        }
        int linked = 0;
        for (Flavour f : flavours) {
            if (!f.programs().isEmpty()) linked += build(f); // a run-time without programs: nothing to link
        }
        // Files the standard LibOS's image carries besides its programs (the file server's
        // /storage), beside them.
        if (Files.isDirectory(libos.resolve("root"))) {
            Path bin = Files.createDirectories(out.resolve("exo").resolve("bin"));
            try (var files = Files.list(libos.resolve("root"))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    Path to = bin.resolve(f.getFileName());
                    if (!Files.exists(to) || Files.getLastModifiedTime(f).compareTo(Files.getLastModifiedTime(to)) > 0)
                        Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Path other = built.computeIfAbsent("exo", n -> new java.util.HashMap<>()).putIfAbsent(f.getFileName().toString(), f);
                    if (other != null && !other.equals(f))
                        throw new BuildFailure(src.relativize(other) + " and " + src.relativize(f) + " would both be exo/bin/" + f.getFileName());
                }
            }
        }
        for (var e : built.entrySet()) {
            Path bin = out.resolve(e.getKey()).resolve("bin");
            if (Files.isDirectory(bin)) removeStale(bin, e.getValue().keySet());
            Path debug = out.resolve(e.getKey()).resolve("debug");
            if (Files.isDirectory(debug)) removeStale(debug, e.getValue().keySet());
        }
        return linked;
    }

    private int build(Flavour f) throws IOException, BuildFailure {
        Path objDir = out.resolve(f.name()).resolve("obj");
        Path binDir = out.resolve(f.name()).resolve("bin");
        Path debugDir = out.resolve(f.name()).resolve("debug");
        Files.createDirectories(objDir);
        Files.createDirectories(binDir);
        Files.createDirectories(debugDir);

        List<Path> all = new ArrayList<>(f.runtime());
        all.addAll(f.programs());
        List<Future<String>> jobs = new ArrayList<>();
        for (Path s : all) jobs.add(pool.submit(() -> compile(s, objectFor(objDir, s), f.defines())));
        collect(jobs);

        List<Path> rtObjs = f.runtime().stream().map(s -> objectFor(objDir, s)).toList();
        List<Future<String>> links = new ArrayList<>();
        List<Future<String>> extraJobs = new ArrayList<>();
        for (List<Path> extra : f.extras().values()) {
            for (Path s : extra) extraJobs.add(pool.submit(() -> compile(s, objectFor(objDir, s), f.defines())));
        }
        collect(extraJobs);
        for (Path p : f.programs()) {
            String name = stripExtension(p.getFileName().toString());
            List<Path> objs = new ArrayList<>(rtObjs);
            for (Path s : f.extras().getOrDefault(name, List.of())) objs.add(objectFor(objDir, s));
            objs.add(objectFor(objDir, p));
            boolean packed = IMAGE_FLAVOURS.contains(f.name());
            links.add(pool.submit(() -> link(objs, binDir.resolve(name), f.script(), true, packed)));
            links.add(pool.submit(() -> link(objs, debugDir.resolve(name), f.script(), false, packed)));
        }
        return (int) collect(links).stream().filter(s -> !s.isEmpty() && !s.startsWith(debugDir.toString())).count();
    }

    /**
     * Deletes what binDir holds beside the programs just built: the executable of a source
     * since deleted or renamed would otherwise go on into every image made from binDir.
     */
    static void removeStale(Path binDir, Set<String> programs) throws IOException {
        try (var files = Files.list(binDir)) {
            for (Path f : files.toList()) {
                if (!programs.contains(f.getFileName().toString())) Files.delete(f);
            }
        }
    }

    private List<String> collect(List<Future<String>> jobs) throws BuildFailure, IOException {
        List<String> done = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Future<String> j : jobs) {
            try {
                done.add(j.get());
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof UncheckedIOException u) throw u.getCause();
                // A program is linked twice (bin/, debug/) from the same objects: one error, said once.
                if (!errors.contains(c.getMessage())) errors.add(c.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildFailure("interrupted");
            }
        }
        if (!errors.isEmpty()) throw new BuildFailure(String.join("\n", errors));
        return done;
    }

    /** The object of a source: its path under user/, with '_' for '/', so no two collide. */
    private Path objectFor(Path objDir, Path source) {
        String rel = src.relativize(source).toString().replace(java.io.File.separatorChar, '_');
        return objDir.resolve(stripExtension(rel) + ".o");
    }

    private String compile(Path source, Path object, List<String> defines) throws Exception {
        Path dep = object.resolveSibling(object.getFileName() + ".d");
        List<String> cmd = new ArrayList<>();
        cmd.add(tc.clang().toString());
        cmd.addAll(CFLAGS);
        cmd.addAll(defines);
        cmd.add("-I" + src);
        cmd.addAll(List.of("-MD", "-MF", dep.toString(), "-c", source.toString(), "-o", object.toString()));
        if (upToDate(object, dependencies(source, dep)) && sameCommand(object, cmd)) return "";
        run(cmd, "compile " + src.getParent().relativize(source));
        recordCommand(object, cmd);
        return object.toString();
    }

    /**
     * Links one executable. Each program is linked twice from the same objects: stripped of
     * debugging information and symbols for the images (bin/), and with both for gdb
     * (debug/). Neither is loaded, so the two have the same segments byte for byte
     * (UserBuildTest checks it): what runs is the same code either way. packed: segments
     * one after another in the file rather than at page-aligned offsets (--nmagic).
     */
    private String link(List<Path> objects, Path exe, Path script, boolean strip, boolean packed) throws Exception {
        List<Path> inputs = new ArrayList<>(objects);
        inputs.add(script);
        List<String> cmd = new ArrayList<>(List.of(tc.lld().toString(), "-flavor", "gnu",
                "-L", src.toString(), "-T", script.toString(), "--gc-sections"));
        if (packed) cmd.add("--nmagic");
        if (strip) cmd.add("--strip-all");
        // A function --gc-sections dropped keeps its DWARF, at address 0 by default: gdb then
        // finds two owners for pc 0 (where _start is) and warns. All ones is the marker it skips.
        // So for its frame description: one at 0 could stand for _start's, and gdb, unwinding
        // from the first instruction, would take ra for a return address and call the stack
        // corrupt.
        else cmd.addAll(List.of("-z", "dead-reloc-in-nonalloc=.debug_addr=0xffffffffffffffff",
                "-z", "dead-reloc-in-nonalloc=.debug_frame=0xffffffffffffffff"));
        cmd.addAll(List.of("--discard-locals", "-z", "noexecstack", "-o", exe.toString()));
        for (Path o : objects) cmd.add(o.toString());
        // The recorded command catches what mtimes cannot: an input removed or added.
        Path record = objects.get(objects.size() - 1).resolveSibling(exe.getFileName() + (strip ? ".link" : ".debug.link"));
        if (upToDate(exe, inputs) && sameCommand(record, cmd)) return "";
        run(cmd, "link " + exe.getFileName());
        recordCommand(record, cmd);
        return exe.toString();
    }

    /** The command last used to make target, kept beside it (for objects: OBJECT.cmd). */
    private static Path commandFile(Path target) {
        return target.getFileName().toString().endsWith(".link") ? target : target.resolveSibling(target.getFileName() + ".cmd");
    }

    private static boolean sameCommand(Path target, List<String> cmd) throws IOException {
        Path f = commandFile(target);
        return Files.exists(f) && Files.readString(f).equals(String.join("\n", cmd));
    }

    private static void recordCommand(Path target, List<String> cmd) throws IOException {
        Files.writeString(commandFile(target), String.join("\n", cmd));
    }

    private static void run(List<String> cmd, String what) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new Exception(what + " failed:\n" + text.strip());
        if (!text.isBlank()) System.out.print(text);
    }

    /** The source plus every header clang recorded in the dependency file of its last compile. */
    private static List<Path> dependencies(Path source, Path depFile) throws IOException {
        List<Path> deps = new ArrayList<>(List.of(source));
        if (!Files.exists(depFile)) return deps;
        String text = Files.readString(depFile).replace("\\\n", " ");
        int colon = text.indexOf(": ");
        if (colon < 0) return deps;
        for (String tok : text.substring(colon + 2).trim().split("\\s+")) {
            if (!tok.isEmpty()) deps.add(Path.of(tok.replace("\\ ", " ")));
        }
        return deps;
    }

    private static boolean upToDate(Path target, List<Path> inputs) throws IOException {
        if (!Files.exists(target)) return false;
        FileTime t = Files.getLastModifiedTime(target);
        for (Path in : inputs) {
            if (!Files.exists(in) || Files.getLastModifiedTime(in).compareTo(t) > 0) return false;
        }
        return true;
    }

    private static List<Path> cFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<Path> sources(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".S")).sorted().toList();
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
