package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads a slot while another hart may store into it: what it decodes is the
 * instruction before the store or the one after, never a mix. Here one thread decodes a
 * word again and again as a hart would after each store dropped its page, while another
 * stores into it, by turns, a 32-bit instruction and a pair of 16-bit ones (the words of
 * user/exo/codetear.c, which does this on the machine). Before, the decoder learnt the
 * width from one read and took the bits from a second: the 32-bit width with the pair's
 * bits, an illegal instruction neither version is.
 */
class DecoderTearTest {
    private static final int INSN_A = 0x00300513;  // addi a0, zero, 3
    private static final int INSN_B = 0x00014509;  // c.li a0, 2; c.nop
    private static final long DECODES = 50_000_000;

    @Test
    void aWordRewrittenWhileItIsDecodedDecodesAsTheOldOrTheNewInstruction() throws Exception {
        long[] ram = new long[PhysicalMemory.PAGE_SIZE / 8];
        long a = Decoder.decodeAt(new long[] {INSN_A}, 0, false);
        long b = Decoder.decodeAt(new long[] {INSN_B}, 0, false);
        ram[0] = INSN_A;
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch storing = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            for (long n = 0; !done.get(); n++) {
                PhysicalMemory.LONGS.setOpaque(ram, 0, (n & 1) == 0 ? INSN_B : INSN_A);
                if (n == 0) storing.countDown();
            }
        });
        writer.start();
        storing.await(); // (on a busy host the decodes could otherwise all come first)
        long sawA = 0, sawB = 0, neither = 0;
        try {
            for (long i = 0; i < DECODES; i++) {
                long d = Decoder.decodeAt(ram, 0, false);
                if (d == a) sawA++;
                else if (d == b) sawB++;
                else neither++;
            }
        } finally {
            done.set(true);
            writer.join();
        }
        assertEquals(0, neither, "decoded neither version " + neither + " times in " + DECODES + " (A " + sawA + ", B " + sawB + ")");
    }
}
