package xv6j.machine.gdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The .gdbinit {@code make qemu-gdb} writes, as xv6's Makefile does: gdb run in the same
 * folder reads it and sets the architecture, loads init (its symbols) (the first program to
 * run), connects to the waiting machine, and follows init. It also defines
 * {@code follow PROGRAM}, which loads another program's symbols and follows it.
 */
final class GdbInit {
    private GdbInit() {}

    static void write(Path file, int port, Path symbols) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Written by make qemu-gdb (the machine's --gdbinit) for the machine waiting on port ").append(port)
                .append(";\n# made afresh each time. README: \"Debugging with gdb\".\n");
        b.append("set confirm off\n");
        b.append("set architecture riscv:rv64\n");
        // Not Linux (gdb's default for an ELF file that does not say): with Linux's ABI gdb
        // single-steps RISC-V by breakpoints at the next instruction, as ptrace must.
        b.append("set osabi none\n");
        b.append("set disassemble-next-line auto\n");
        b.append("set remotetimeout 10\n"); // (the machine may still be booting when gdb first asks)
        String dir = symbols == null ? null : symbols.toAbsolutePath().normalize().toString();
        if (dir != null) b.append("file ").append(quoted(dir + "/init")).append('\n');
        b.append("target remote 127.0.0.1:").append(port).append('\n');
        if (dir != null) {
            b.append("monitor follow init\n");
            b.append("define follow\n");
            b.append("  file ").append(quoted(dir + "/$arg0")).append('\n');
            b.append("  monitor follow $arg0\n");
            b.append("end\n");
            b.append("document follow\n");
            b.append("follow PROGRAM: debug PROGRAM (follow ls). Loads its symbols, and makes breakpoints and\n");
            b.append("watchpoints stop only in the processes running it. monitor help lists the machine's commands.\n");
            b.append("end\n");
        }
        Files.writeString(file, b.toString());
    }

    /** A path as gdb's commands take it: in double quotes if it has a space. */
    private static String quoted(String path) {
        return path.contains(" ") ? "\"" + path.replace("\"", "\\\"") + "\"" : path;
    }
}
