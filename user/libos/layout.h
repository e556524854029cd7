// The address space of a LibOS environment. Everything here is policy of the LibOS:
// kernel-exo only insists that mappings lie below EXO_UTOP.
//
//   0                 program text, rodata, data, bss (as the ELF file says), a guard page
//                     (left unmapped), the one-page stack, then the heap, grown by sbrk.
//                     This is xv6's layout exactly, so sbrk(0) and every address a program
//                     sees are what they are on the xv6 kernel.
//   USERTOP  (1 GiB)  the end of the program's memory: sbrk fails beyond it. The machine
//                     has at most 1 GiB of RAM, so this limit is never the one that bites.
//   ...               unused
//   LIBOS_BASE        the LibOS's own pages, never seen by the program:
//     UPROC_VA          struct uproc (this environment's LibOS state), then the builder's
//                       page (struct build: fork and exec prepare a child there), then
//                       the start-up stack (a new environment's first steps) and the
//                       upcall stack (fault and time-slice handlers): the LibOS never
//                       runs anything big on the program's one-page stack
//     IPC_VA            two pages shared with the file server: arguments, results, data
//     SCRATCH_FAULT     a window where the fault handler copies a copy-on-write page
//     SCRATCH_WORK      a window where fork, exec and the loader fill pages
//     CHILD_UPROC_VA    a new environment's struct uproc while fork or exec builds it
//     SCRATCH_LOAD      windows on the pages the loader (image.c) is filling, several at once
//     PIPE_BASE         pipe i's two pages at PIPE_BASE + 2*i*PGSIZE, its writers' then its
//                       readers' (mapped by the file server, lib/pipering.h)
//     VPT_VA            the software page table: one 32-bit entry per page below USERTOP
//     CHILD_VPT_VA      a new environment's software page table while it is built
//     OWN_VPT_VA        exec's record of its own handles for the pages it builds
//   SRV_BASE          the file server's private areas (only in the server environment)
//   EXO_UTOP          the top of user space
#pragma once

#include "exo.h"

#define PG 4096UL
#define PGROUNDUP(a) (((a) + PG - 1) & ~(PG - 1))
#define PGROUNDDOWN(a) ((a) & ~(PG - 1))

#define USERTOP 0x40000000UL
#define USERPAGES (USERTOP / PG)

#define LIBOS_BASE 0x3F00000000UL
#define UPROC_VA (LIBOS_BASE)
#define UPROC_PAGES 6
#define BUILD_VA (UPROC_VA + PG)
#define START_STACK_TOP (UPROC_VA + 3 * PG)         // one page
#define UPCALL_STACK_TOP (UPROC_VA + UPROC_PAGES * PG)  // three pages
#define IPC_VA (LIBOS_BASE + 0x10000UL)
#define IPC_PAGES 2
#define SCRATCH_FAULT (LIBOS_BASE + 0x30000UL)
#define SCRATCH_WORK (LIBOS_BASE + 0x31000UL)
#define CHILD_UPROC_VA (LIBOS_BASE + 0x40000UL)
#define SCRATCH_LOAD (LIBOS_BASE + 0x50000UL)
#define SCRATCH_LOAD_PAGES 16
#define PIPE_BASE (LIBOS_BASE + 0x1000000UL)
#define NPIPE 64
#define PIPE_VA(i) (PIPE_BASE + (uint64)(i) * 2 * PG)  // the writers' page; the readers' follows
#define VPT_VA (LIBOS_BASE + 0x10000000UL)
#define CHILD_VPT_VA (LIBOS_BASE + 0x20000000UL)
#define OWN_VPT_VA (LIBOS_BASE + 0x30000000UL)
#define VPT_PER_PAGE (PG / 4)                       // entries in one page of the table
#define VPT_PAGES (USERPAGES / VPT_PER_PAGE)        // 256 pages cover USERTOP

#define SRV_BASE 0x3F80000000UL
#define SRV_PCT_STACK (SRV_BASE + 0x10000UL)        // SRV_STACK_PAGES pages
#define SRV_MAIN_STACK (SRV_BASE + 0x30000UL)       // SRV_STACK_PAGES pages
#define SRV_STACK_PAGES 8
#define SRV_BCACHE (SRV_BASE + 0x100000UL)
#define SRV_IPC (SRV_BASE + 0x200000UL)             // process slot i's IPC pages at SRV_IPC + i*IPC_PAGES*PG
#define SRV_PIPES (SRV_BASE + 0x400000UL)           // pipe i's two pages at SRV_PIPES + 2*i*PG

#if SRV_PIPES + NPIPE * 2 * PG > EXO_UTOP || PIPE_BASE + NPIPE * 2 * PG > VPT_VA
#error "the LibOS layout does not fit below EXO_UTOP"
#endif
