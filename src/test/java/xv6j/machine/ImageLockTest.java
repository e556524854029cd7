package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per image; a second is refused, and told who holds it. */
class ImageLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterInTheSameProgramIsRefusedUntilTheFirstCloses() throws Exception {
        Path img = dir.resolve("d.img");
        Disk.create(img, 4).close();
        try (Disk first = Disk.open(img, false)) {
            ImageLock.InUseException e = assertThrows(ImageLock.InUseException.class, () -> Disk.open(img, false));
            assertTrue(e.getMessage().startsWith(img + " is in use"), e.getMessage());
            assertThrows(ImageLock.InUseException.class, () -> Disk.create(img, 4));
            try (Disk reader = Disk.open(img, true)) {
                assertEquals(4, reader.blocks(), "readers take no lock");
            }
        }
        try (Disk again = Disk.open(img, false)) {
            assertEquals(4, again.blocks());
        }
    }

    @Test
    void theHolderIsFoundInProcLocksByDeviceAndInode() {
        // st_dev 0xfe00 is device fe:00 (major 254, minor 0).
        List<String> lines = List.of(
                "1: POSIX  ADVISORY  READ 111 fe:00:42 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 222 08:01:42 0 EOF",
                "3: POSIX  ADVISORY  WRITE 333 fe:00:42 0 EOF",
                "3: -> POSIX  ADVISORY  WRITE 444 fe:00:42 0 EOF",
                "4: OFDLCK ADVISORY  WRITE -1 fe:00:43 0 EOF");
        assertEquals(Optional.of(333L), ImageLock.holderPid(lines, 0xfe00, 42));
        assertEquals(Optional.of(222L), ImageLock.holderPid(lines.subList(0, 2), 0xfe00, 42), "the same inode elsewhere");
        assertEquals(Optional.empty(), ImageLock.holderPid(lines, 0xfe00, 43), "an OFD lock names no process");
    }

    @Test
    void theHoldersProgramIsNamedByItsJarOrMainClass() {
        assertEquals(Optional.of("kernel.jar"), ImageLock.program("/usr/lib/jvm/x/bin/java -jar target/kernel.jar fs.img"));
        assertEquals(Optional.of("xv6j.exo.Boot"), ImageLock.program("/bin/java -cp a:b xv6j.exo.Boot fs-exo.img"));
        assertEquals(Optional.of("qemu-system-riscv64"), ImageLock.program("/usr/bin/qemu-system-riscv64 -drive f"));
        assertEquals(Optional.empty(), ImageLock.program(" "));
    }
}
