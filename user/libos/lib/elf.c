// ELF parsing for exec. The checks are those of the xv6 kernel's exec, so a file the
// xv6 kernel refuses is refused here too: the magic, a PT_LOAD segment whose memsz is
// less than its filesz, one that wraps around or starts off a page boundary, or one
// that ends beyond the user address space.
#include "elf.h"

#define PT_LOAD 1
#define EM_RISCV 243

static uint64 get(const uchar *p, int n) {
    uint64 v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

int elf_header(const uchar *eh, long n, struct elf_info *info) {
    if (n < ELF_EHDR_SIZE) return -1;
    if (eh[0] != 0x7f || eh[1] != 'E' || eh[2] != 'L' || eh[3] != 'F') return -1;
    if (eh[4] != 2 || eh[5] != 1) return -1;            // ELFCLASS64, little-endian
    if (get(eh + 18, 2) != EM_RISCV) return -1;
    if (get(eh + 54, 2) != ELF_PHDR_SIZE && get(eh + 56, 2) != 0) return -1;
    info->entry = get(eh + 24, 8);
    info->phoff = get(eh + 32, 8);
    info->phnum = (int)get(eh + 56, 2);
    if (info->phoff > 0xffffffffUL) return -1;          // files are at most 4 GiB (uint size)
    return 0;
}

int elf_phdr(const uchar *ph, uint64 limit, struct elf_seg *seg) {
    if (get(ph, 4) != PT_LOAD) return 0;
    seg->flags = (int)get(ph + 4, 4);
    seg->off = get(ph + 8, 8);
    seg->vaddr = get(ph + 16, 8);
    seg->filesz = get(ph + 32, 8);
    seg->memsz = get(ph + 40, 8);
    if (seg->memsz < seg->filesz) return -1;
    if (seg->vaddr + seg->memsz < seg->vaddr) return -1;
    if (seg->vaddr % 4096 != 0) return -1;
    if (seg->vaddr + seg->memsz > limit) return -1;
    if (seg->off + seg->filesz < seg->off || seg->off + seg->filesz > 0xffffffffUL) return -1;
    return 1;
}
