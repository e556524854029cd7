package xv6j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuperBlockTest {

    @Test
    void defaultLayoutMatchesXv6MkfsFigures() {
        // xv6-riscv's own mkfs, built and run on the host (docs/xv6-compat.md), prints:
        // nmeta 47 (boot, super, log blocks 31 inode blocks 13, bitmap blocks 1) blocks 1953 total 2000
        SuperBlock sb = SuperBlock.layout(Fs.FSSIZE, Fs.NINODES, Fs.NLOG);
        assertEquals(new SuperBlock(Fs.FSMAGIC, 2000, 1953, 200, 31, 2, 33, 46), sb);
        assertEquals(47, sb.datastart());
    }

    @Test
    void olderXv6LayoutHadALogOfThirtyBlocksHeaderIncluded() {
        // Before xv6-riscv's log took LOGBLOCKS + 1 blocks, its mkfs printed:
        // nmeta 46 (boot, super, log blocks 30 inode blocks 13, bitmap blocks 1) blocks 1954 total 2000
        SuperBlock sb = SuperBlock.layout(Fs.FSSIZE, Fs.NINODES, Fs.LOGSIZE);
        assertEquals(new SuperBlock(Fs.FSMAGIC, 2000, 1954, 200, 30, 2, 32, 45), sb);
        assertTrue(sb.problems(2000).isEmpty(), "the older layout is still a good image");
    }

    @Test
    void encodeThenDecodeGivesTheSameSuperblock() {
        SuperBlock sb = SuperBlock.layout(4000, 400, 30);
        byte[] block = new byte[Fs.BSIZE];
        sb.encode(block);
        assertEquals(sb, SuperBlock.decode(block));
        assertEquals(0x40, block[0] & 0xff, "magic is little-endian");
    }

    @Test
    void everyStandardLayoutWithDataBlocksHasNoProblems() {
        for (int size : new int[] {47, 100, 2000, 8191, 8192, 8193, 20000, 1 << 20})
            for (int ninodes : new int[] {2, 16, 17, 200, 1000, 65536}) {
                SuperBlock sb = SuperBlock.layout(size, ninodes, Fs.LOGSIZE);
                if (sb.nblocks() > 0) assertEquals(List.of(), sb.problems(size), sb.toString());
            }
    }

    @Test
    void eachBrokenFieldIsNamed() {
        SuperBlock ok = SuperBlock.layout(Fs.FSSIZE, Fs.NINODES, Fs.LOGSIZE);
        assertTrue(new SuperBlock(0, 1, 1, 1, 1, 1, 1, 1).problems(2000).get(0).contains("bad magic"));
        assertTrue(new SuperBlock(Fs.FSMAGIC, -5, 1, 200, 30, 2, 32, 45).problems(2000).get(0)
                .contains("size -5 is not positive"));
        assertTrue(new SuperBlock(Fs.FSMAGIC, 2000, 1954, 1, 30, 2, 32, 45).problems(2000).get(0)
                .contains("no room for the root inode"));
        assertTrue(new SuperBlock(Fs.FSMAGIC, 2000, 1954, 200, 1, 2, 32, 45).problems(2000).get(0)
                .contains("nlog 1 is too small"));
        assertTrue(new SuperBlock(Fs.FSMAGIC, 2000, 0, 200, 30, 2, 32, 45).problems(2000).get(0)
                .contains("leaves no data blocks"));
        assertTrue(new SuperBlock(Fs.FSMAGIC, 2000, 1954, 200, 30, 1, 32, 45).problems(2000).get(0)
                .contains("over the boot or super block"));
        assertEquals(List.of(), ok.problems(2000));
        assertEquals(List.of(), ok.problems(3000), "an image may be larger than its file system");
    }
}
