package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.elf.Elf;
import xv6j.elf.ProgramHeader;

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

    /** Each program is linked twice (bin/ and debug/); a link error is still printed once. */
    @Test
    void aLinkErrorIsReportedOnce(@TempDir Path src) throws Exception {
        Files.copy(Path.of("user/user.ld"), src.resolve("user.ld"));
        Files.writeString(src.resolve("hello.c"), "void missing(void);\nvoid _start(void) { missing(); }\n");
        UserBuild.BuildFailure e = assertThrows(UserBuild.BuildFailure.class, () -> UserBuild.build(src, src.resolve("out")));
        assertEquals(1, e.getMessage().split("link hello failed", -1).length - 1, e.getMessage());
        assertTrue(e.getMessage().contains("undefined symbol: missing"), e.getMessage());
    }

    @Test
    void anExecutableWhoseSourceIsGoneIsRemovedSoNoImageCarriesIt() throws Exception {
        for (String name : new String[] {"cat", "ls", "oldtool"}) Files.writeString(bin.resolve(name), name);
        UserBuild.removeStale(bin, Set.of("cat", "ls", "sh"));
        try (Stream<Path> s = Files.list(bin)) {
            assertEquals(Set.of("cat", "ls"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
    }

    /**
     * gdb reads debug/NAME; the images carry bin/NAME. The debugging information must change
     * nothing that runs: every loaded segment has the same address, size, rights and bytes.
     */
    @Test
    void everyProgramHasACopyWithDebuggingInformationWhoseLoadedBytesAreTheImagesOwn() throws Exception {
        Path user = Path.of(System.getProperty("xv6j.user", "target/user"));
        int checked = 0;
        for (String flavour : List.of("kernel", "exo", "exotest", "test", "bench")) {
            try (Stream<Path> s = Files.list(user.resolve(flavour).resolve("bin"))) {
                for (Path image : s.sorted().toList()) {
                    byte[] b = Files.readAllBytes(image);
                    if (b.length < 4 || b[0] != 0x7f || b[1] != 'E') continue; // (exo/bin/storage is a text file)
                    Path debug = user.resolve(flavour).resolve("debug").resolve(image.getFileName());
                    byte[] d = Files.readAllBytes(debug);
                    List<ProgramHeader> bs = Elf.parse(b).loadSegments(), ds = Elf.parse(d).loadSegments();
                    assertEquals(bs.size(), ds.size(), debug.toString());
                    for (int i = 0; i < bs.size(); i++) {
                        ProgramHeader x = bs.get(i), y = ds.get(i);
                        assertEquals(List.of(x.vaddr(), x.memsz(), x.filesz(), (long) x.flags()),
                                List.of(y.vaddr(), y.memsz(), y.filesz(), (long) y.flags()), debug + " segment " + i);
                        assertTrue(Arrays.equals(b, (int) x.offset(), (int) (x.offset() + x.filesz()),
                                d, (int) y.offset(), (int) (y.offset() + y.filesz())), debug + " segment " + i);
                    }
                    assertTrue(contains(d, ".debug_info") && !contains(b, ".debug_info"), debug.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " programs found under " + user);
    }

    /**
     * What goes into the images carries only what runs: no symbols (nothing at run time
     * reads them; gdb reads debug/) and no padding between segments (exec reads a segment
     * from any file offset). A program's file is its loaded bytes and less than a block of
     * headers; before, the LibOS's programs were about twice as large (ImageRoomTest: the room).
     */
    @Test
    void theImagesProgramsAreTheirLoadedBytesWithoutSymbolsOrPadding() throws Exception {
        Path user = Path.of(System.getProperty("xv6j.user", "target/user"));
        int checked = 0;
        for (String flavour : UserBuild.IMAGE_FLAVOURS) {
            try (Stream<Path> s = Files.list(user.resolve(flavour).resolve("bin"))) {
                for (Path image : s.sorted().toList()) {
                    byte[] b = Files.readAllBytes(image);
                    if (b.length < 4 || b[0] != 0x7f || b[1] != 'E') continue; // (exo/bin/storage is a text file)
                    assertTrue(!contains(b, ".symtab") && !contains(b, ".strtab"), image + " carries symbols");
                    // Each segment starts where the one before ends, rounded up only to the
                    // alignment its sections ask for (a page-aligned array asks for a page).
                    long align = largestSectionAlignment(b);
                    long end = 0;
                    for (ProgramHeader ph : Elf.parse(b).loadSegments()) {
                        long at = (end + align - 1) / align * align;
                        assertTrue(ph.offset() <= Math.max(at, 1024),
                                image + ": a segment at offset " + ph.offset() + " where " + at + " would do (padding)");
                        end = ph.offset() + ph.filesz();
                    }
                    assertTrue(b.length - end < 1024, image + " is " + b.length + " bytes, its segments end at " + end);
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " programs found under " + user);
    }

    /** The largest sh_addralign of the ELF64 file's loaded (SHF_ALLOC) sections. */
    private static long largestSectionAlignment(byte[] elf) {
        var le = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long shoff = le.getLong(0x28);
        int shentsize = le.getShort(0x3a) & 0xffff, shnum = le.getShort(0x3c) & 0xffff;
        long largest = 1;
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if ((le.getLong(sh + 0x08) & 2) != 0) largest = Math.max(largest, le.getLong(sh + 0x30));
        }
        return largest;
    }

    private static boolean contains(byte[] hay, String needle) {
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int k = 0; k < n.length; k++) if (hay[i + k] != n[k]) continue outer;
            return true;
        }
        return false;
    }
}
