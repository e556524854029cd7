package xv6j.exo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions of a RISC-V ELF file, by address, read from its symbol table: so that a
 * report can say "reader+0x2c" where a bare pc means nothing without the listing. The
 * build keeps each program unstripped under target/user/.../debug. Every program a test
 * boots on kernel-exo is /init or spawned from it (the same text), so /init's names name
 * every pc in user space.
 */
final class FunctionNames {
    private static final int SHT_SYMTAB = 2, STT_FUNC = 2;
    /** Each function's start, and its name and size. */
    private final TreeMap<Long, Map.Entry<String, Long>> functions = new TreeMap<>();

    /** No names: pcs stay bare. */
    static final FunctionNames NONE = new FunctionNames();

    private FunctionNames() {}

    /** The names in file, or none if it is missing or not an ELF64 file with a symbol table. */
    static FunctionNames of(Path file) {
        FunctionNames n = new FunctionNames();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != 0x464c457f || b.get(4) != 2) return n; // "\177ELF", 64-bit
            int shoff = (int) b.getLong(0x28), shentsize = b.getShort(0x3a) & 0xffff, shnum = b.getShort(0x3c) & 0xffff;
            for (int i = 0; i < shnum; i++) {
                int sh = shoff + i * shentsize;
                if (b.getInt(sh + 4) != SHT_SYMTAB) continue;
                int strtab = (int) b.getLong(shoff + b.getInt(sh + 40) * shentsize + 24);
                int off = (int) b.getLong(sh + 24), size = (int) b.getLong(sh + 32), entsize = (int) b.getLong(sh + 56);
                for (int s = off; s + entsize <= off + size; s += entsize) {
                    if ((b.get(s + 4) & 0xf) != STT_FUNC) continue;
                    n.functions.put(b.getLong(s + 8), Map.entry(string(b, strtab + b.getInt(s)), b.getLong(s + 16)));
                }
            }
        } catch (IOException | RuntimeException e) {
            n.functions.clear(); // a report without names is still a report
        }
        return n;
    }

    private static String string(ByteBuffer b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; b.get(i) != 0; i++) sb.append((char) b.get(i));
        return sb.toString();
    }

    /** " (name+0xoff)" for the function that holds pc, else "". */
    String at(long pc) {
        Map.Entry<Long, Map.Entry<String, Long>> f = functions.floorEntry(pc);
        if (f == null || pc >= f.getKey() + Math.max(1, f.getValue().getValue())) return "";
        return String.format(" (%s+0x%x)", f.getValue().getKey(), pc - f.getKey());
    }
}
