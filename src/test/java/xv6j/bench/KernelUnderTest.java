package xv6j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import xv6j.kernel.Kernel;
import xv6j.machine.Machine;
import xv6j.tools.Mkfs;

/**
 * A kernel that make bench measures: one column of the kernel table. It says how to boot
 * the kernel on a machine (what its jar's main does after building the machine), where
 * the build put the programs of its image (user/ compiled for it, sysbench among them),
 * and which benchmark programs only it has: each prints lines in sysbench's format
 * under its own name ({@link BenchLines}), shown in a table of their own.
 *
 * <p>Adding a kernel is adding one of these to {@link #all}; its figures then appear in a
 * column of their own, with their ratio to the first kernel's.
 *
 * @param name        the prefix of its figures in bench.json and the heading of its column
 *                    (also the name of its program folder under target/user)
 * @param programs    the folder of its programs; each goes into the root of its image
 * @param booter      runs the kernel on a machine until it halts
 * @param ownPrograms benchmark programs in its image that only it runs
 */
record KernelUnderTest(String name, Path programs, Booter booter, List<String> ownPrograms) {
    /** Boots a kernel on a machine whose disk holds its image; returns the halt status (0 clean). */
    @FunctionalInterface
    interface Booter {
        int boot(Machine m) throws InterruptedException;
    }

    /** xv6 (kernel.jar): the kernel of xv6j.kernel on the programs of target/user/kernel/bin. */
    static KernelUnderTest xv6(Path userDir) {
        return new KernelUnderTest("kernel", userDir.resolve("kernel").resolve("bin"), m -> new Kernel(m).run(), List.of());
    }

    /**
     * kernel-exo (kernel-exo.jar): the exokernel of xv6j.exo, booting /init of the image (the
     * LibOS's file server) on the programs of target/user/exo/bin, linked with the LibOS.
     * Its exokernel-only benchmark programs go in the last argument when they exist.
     */
    static KernelUnderTest exo(Path userDir) {
        return new KernelUnderTest("exo", userDir.resolve("exo").resolve("bin"), m -> xv6j.exo.Boot.boot(m, System.err), List.of());
    }

    /** Every kernel make bench knows, in column order; it measures those the build made. */
    static List<KernelUnderTest> all(Path userDir) {
        return List.of(xv6(userDir), exo(userDir));
    }

    /** True if the build made this kernel's programs, sysbench among them. */
    boolean built() {
        return Files.isRegularFile(programs.resolve("sysbench"));
    }

    /** A fresh image in dir with every program and a README, as make fs.img builds it. */
    Path freshImage(Path dir) throws IOException {
        Path readme = dir.resolve("README");
        Files.writeString(readme, "xv6j benchmark image\n");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(programs)) {
            s.sorted().forEach(files::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        files.add(readme);
        Path img = Files.createTempFile(dir, name, ".img");
        Mkfs.build(img, files);
        return img;
    }
}
