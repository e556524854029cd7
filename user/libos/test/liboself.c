// ELF parsing for exec (user/libos/lib/elf.c): what is accepted, what is refused.
#include "test/runtime/harness.h"
#include "libos/lib/elf.h"
#include "libos/lib/lib.h"

static uchar eh[64], ph[56];

static void put(uchar *p, uint64 v, int n) {
    for (int i = 0; i < n; i++) p[i] = (uchar)(v >> (8 * i));
}

static void header(void) {
    lo_memset(eh, 0, sizeof eh);
    eh[0] = 0x7f, eh[1] = 'E', eh[2] = 'L', eh[3] = 'F', eh[4] = 2, eh[5] = 1, eh[6] = 1;
    put(eh + 16, 2, 2);         // ET_EXEC
    put(eh + 18, 243, 2);       // EM_RISCV
    put(eh + 24, 0x1234, 8);    // entry
    put(eh + 32, 64, 8);        // phoff
    put(eh + 54, 56, 2);
    put(eh + 56, 3, 2);         // phnum
}

static void load(uint64 off, uint64 va, uint64 filesz, uint64 memsz, int flags) {
    lo_memset(ph, 0, sizeof ph);
    put(ph, 1, 4);
    put(ph + 4, flags, 4);
    put(ph + 8, off, 8);
    put(ph + 16, va, 8);
    put(ph + 32, filesz, 8);
    put(ph + 40, memsz, 8);
}

int main(void) {
    struct elf_info info;
    header();
    CHECK(elf_header(eh, 64, &info) == 0 && info.entry == 0x1234 && info.phoff == 64 && info.phnum == 3);
    CHECK(elf_header(eh, 63, &info) == -1);
    eh[3] = 'G';
    CHECK(elf_header(eh, 64, &info) == -1);
    header();
    eh[4] = 1;                  // 32-bit
    CHECK(elf_header(eh, 64, &info) == -1);
    header();
    put(eh + 18, 62, 2);        // x86-64
    CHECK(elf_header(eh, 64, &info) == -1);

    struct elf_seg s;
    const uint64 top = 0x40000000;
    load(0x1000, 0x2000, 100, 5000, ELF_PF_R | ELF_PF_W);
    CHECK(elf_phdr(ph, top, &s) == 1 && s.vaddr == 0x2000 && s.filesz == 100 && s.memsz == 5000 && s.off == 0x1000
          && s.flags == (ELF_PF_R | ELF_PF_W));
    load(0, 0x2000, 200, 100, ELF_PF_R);            // memsz < filesz
    CHECK(elf_phdr(ph, top, &s) == -1);
    load(0, 0x2010, 10, 10, ELF_PF_R);              // not page-aligned
    CHECK(elf_phdr(ph, top, &s) == -1);
    load(0, 0xfffffffffffff000UL, 0, 0x2000, ELF_PF_R);    // wraps
    CHECK(elf_phdr(ph, top, &s) == -1);
    load(0, top - 0x1000, 0, 0x2000, ELF_PF_R);     // runs past the top
    CHECK(elf_phdr(ph, top, &s) == -1);
    load(0xfffffff0, 0, 0x20, 0x20, ELF_PF_R);      // file bytes past 4 GiB
    CHECK(elf_phdr(ph, top, &s) == -1);
    load(0, 0, 0, 0, 0);
    put(ph, 6, 4);                                  // PT_PHDR: skipped
    CHECK(elf_phdr(ph, top, &s) == 0);
    return check_failures();
}
