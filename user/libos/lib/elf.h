// Reading an ELF64 RISC-V executable: the header and its PT_LOAD program headers, with
// every field checked before the loader trusts it. Pure: the caller brings the bytes.
#pragma once

#include "types.h"

#define ELF_EHDR_SIZE 64
#define ELF_PHDR_SIZE 56

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_info {
    uint64 entry;
    uint64 phoff;       // file offset of the program headers
    int phnum;
};

// One loadable segment: memsz bytes at vaddr (page-aligned), the first filesz of them
// from the file at off, the rest zero.
struct elf_seg {
    uint64 vaddr;
    uint64 memsz;
    uint64 filesz;
    uint64 off;
    int flags;          // ELF_PF_*
};

// Checks the 64-byte ELF header: the magic, 64-bit little-endian RISC-V, an executable.
// Returns 0 and fills *info, or -1.
int elf_header(const uchar *eh, long n, struct elf_info *info);

// Reads one 56-byte program header. Returns 1 for a PT_LOAD segment that fits below
// limit (filling *seg), 0 for a header to skip, -1 for a malformed loadable segment.
int elf_phdr(const uchar *ph, uint64 limit, struct elf_seg *seg);
