package xv6j.machine.gdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The programs gdb can load symbols from: a folder of ELF files with their debugging
 * information (the build's target/user/kernel/debug or target/user/exo/debug), each named
 * as the program is in the image. Read when first asked for, and again if the file changed.
 */
final class Programs {
    private final Path dir;
    private final Map<String, Program> loaded = new ConcurrentHashMap<>();
    private final Map<String, Long> loadedTime = new ConcurrentHashMap<>();

    /** dir may be null: then only paths name programs. */
    Programs(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The program called name (a file of the folder), or at a path (with a '/'). */
    Program get(String name) throws IOException {
        Path file = name.contains("/") || dir == null ? Path.of(name) : dir.resolve(name);
        if (!Files.isRegularFile(file))
            throw new IOException(dir == null || name.contains("/") ? "no such file: " + file
                    : "no program " + name + " in " + dir);
        String key = file.toAbsolutePath().toString();
        long time = Files.getLastModifiedTime(file).toMillis();
        Program p = loaded.get(key);
        if (p == null || loadedTime.get(key) != time) {
            p = Program.load(file.getFileName().toString(), file);
            loaded.put(key, p);
            loadedTime.put(key, time);
        }
        return p;
    }

    /** Every program of the folder (none without one), for naming what a hart runs. */
    List<Program> all() {
        List<Program> all = new ArrayList<>();
        if (dir == null) return all;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                try {
                    all.add(get(f.getFileName().toString()));
                } catch (IOException e) {
                    // not a program (a data file beside them): it names nothing
                }
            }
        } catch (IOException e) {
            // the folder went away (a make clean): nothing to name programs by
        }
        return all;
    }

    /** The name of the program an address space runs, or null if it is none of the folder's. */
    String identify(AddressSpace space) {
        Program.Seen seen = new Program.Seen();
        for (Program p : all()) if (p.runsIn(space, seen)) return p.name;
        return null;
    }
}
