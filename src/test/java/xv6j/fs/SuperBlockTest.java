package xv6j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SuperBlockTest {

    @Test
    void defaultLayoutMatchesXv6MkfsFigures() {
        // xv6-riscv's mkfs prints: nmeta 46 (boot, super, log blocks 30 inode blocks 13,
        // bitmap blocks 1) blocks 1954 total 2000
        SuperBlock sb = SuperBlock.layout(Fs.FSSIZE, Fs.NINODES, Fs.LOGSIZE);
        assertEquals(2, sb.logstart());
        assertEquals(32, sb.inodestart());
        assertEquals(45, sb.bmapstart());
        assertEquals(46, sb.datastart());
        assertEquals(1954, sb.nblocks());
    }

    @Test
    void encodeThenDecodeGivesTheSameSuperblock() {
        SuperBlock sb = SuperBlock.layout(4000, 400, 30);
        byte[] block = new byte[Fs.BSIZE];
        sb.encode(block);
        assertEquals(sb, SuperBlock.decode(block));
        assertEquals(0x40, block[0] & 0xff, "magic is little-endian");
    }
}
