// Compressed instructions written out, so each form is tested whatever clang chooses:
// c.li, c.addi, c.slli, c.srli, c.srai, c.andi, c.mv, c.add, c.sub, c.xor, c.or, c.and,
// c.addw, c.subw, c.addiw, c.lw/c.sw, c.ld/c.sd via the stack pointer and via x8..x15.
#include "runtime/harness.h"

int main(void) {
    puts("compressed: explicit c.* instructions\n");
    long a, b, c;
    asm volatile(
        ".option push\n.option rvc\n"
        "c.li %0, 31\n c.addi %0, -1\n c.slli %0, 60\n c.srai %0, 58\n"   // 30<<60 = 0xe000.. >>58 = -8
        "c.li %1, -1\n c.srli %1, 62\n"                                    // 3
        "c.mv %2, %0\n c.add %2, %1\n"                                      // -5
        ".option pop\n"
        : "=&r"(a), "=&r"(b), "=&r"(c));
    CHECK(a == -8 && b == 3 && c == -5);
    register long s0 asm("s0") = 0x7fffffff;
    register long s1 asm("s1") = 1;
    register long a0 asm("a0") = 0x0ff0;
    register long a1 asm("a1") = 0x00ff;
    asm volatile(".option push\n.option rvc\n"
                 "c.addw s0, s1\n c.subw s1, a1\n c.xor a0, a1\n c.or a1, a0\n c.andi a1, 0x1f\n c.addiw a0, 1\n"
                 ".option pop\n"
                 : "+r"(s0), "+r"(s1), "+r"(a0), "+r"(a1));
    CHECK(s0 == -2147483648L && s1 == 1 - 0xff && a0 == (0x0ff0 ^ 0x00ff) + 1 && a1 == 0x1f);
    long mem[4] = {0, 0, 0, 0};
    register long *p asm("a2") = mem;
    register long v asm("a3") = -3;
    register long w asm("a4");
    register long w2 asm("a5");
    asm volatile(".option push\n.option rvc\n"
                 "c.sd a3, 8(a2)\n c.sw a3, 16(a2)\n c.ld a4, 8(a2)\n c.lw a5, 16(a2)\n"
                 "c.addi sp, -16\n c.sdsp a3, 8(sp)\n c.ldsp a4, 8(sp)\n c.swsp a3, 0(sp)\n c.lwsp a5, 0(sp)\n c.addi sp, 16\n"
                 ".option pop\n"
                 : "=&r"(w), "=&r"(w2) : "r"(p), "r"(v) : "memory");
    CHECK(w == -3 && w2 == -3 && mem[1] == -3 && (int)mem[2] == -3);
    return check_failures();
}
