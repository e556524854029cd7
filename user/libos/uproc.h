// struct uproc: one environment's LibOS state, at UPROC_VA in its own page. It is never
// shared and never copy-on-write: whoever creates an environment (fork, exec, the boot
// environment starting the file server, the server starting init) fills in a fresh one,
// and the new environment's start-up code reads it. So it is also the hand-off record
// between a LibOS and the program it starts, and the fields before the run-time state are
// an ABI every LibOS started by this one reads (user/kv's does).
//
// How a new environment gets its memory: its creator allocates or shares the pages, grants
// the new environment a capability for each (capgrant into its table), records the new
// handles here and in the software page table, and maps each page into the new
// environment through the new environment's own handle (kernel-exo maps only through a
// capability of the address space's owner). So every page the newcomer sees is held by
// the newcomer alone, and the creator may let go of its side, or exit, at once.
#pragma once

#include "lib/types.h"
#include "layout.h"

// The handles the file server puts in every process's environment when it makes it (the
// table is empty then, so they get these numbers), each with only the rights the LibOS
// needs. The creator (fork's parent, exec's old environment) adds the pages of the image
// and of the LibOS region, through a capability for the new environment that the server
// takes back before the environment starts: no process keeps control of another.
#define LH_MEM   0      // CAP_MEMORY R|W|X|GRANT|REVOKE: the process's memory, with its quota
#define LH_CPU   1      // CAP_CPU X: its share of time
#define LH_SRV   2      // CAP_ENV X: the file server
#define LH_CONS  3      // CAP_CONSOLE W: output (input is the server's)
#define LH_CLOCK 4      // CAP_CLOCK R
#define LH_TOKEN 5      // CAP_PAGE R, never mapped: the server revokes it to wake a killed process
#define LH_IPC   6      // the two IPC pages (R|W), mapped at IPC_VA: handles LH_IPC and LH_IPC + 1
#define LH_FIRST_FREE 8 // the creator's grants start here

#define UPROC_MAGIC 0x534f42494cUL   // "LIBOS"
#define EXEC_MAGIC 0x63657865UL      // in a2 at entry: "exec"; anything else means the boot loader

#define LIBOS_NOFILE 16
#define LIBOS_NAMELEN 16

// Entries of the software page table: the handle (plus one, so 0 means "nothing here")
// of the capability through which this environment maps the page, and what the page is.
typedef uint vpte_t;
#define VP_HANDLE(e) ((int)((e) & 0xffffff) - 1)
#define VP_MAKE(h, flags) ((vpte_t)((h) + 1) | ((vpte_t)(flags) << 24))
#define VP_FLAGS(e) ((e) >> 24)
#define VP_R 0x01       // readable
#define VP_W 0x02       // writable, as far as the program is concerned
#define VP_X 0x04       // executable
#define VP_COW 0x08     // shared copy-on-write: mapped without write permission for now
#define VP_CAPW 0x10    // our capability has CAP_W (so the page may be mapped writable)

// The client's copy of a descriptor's type; the file server holds the descriptor itself.
#define FD_NONE 0
#define FD_INODE 1      // a file or directory: reads and writes go to the file server
#define FD_DEVICE 2     // a device node: the console is driven by this LibOS
#define FD_PIPE 3       // a pipe: data moves through the pipe's page, without the server

struct fdinfo {
    uchar type;
    uchar readable;
    uchar writable;
    uchar pad;
    short major;        // FD_DEVICE
    short pipe;         // FD_PIPE: which pipe page (PIPE_VA(pipe))
};

struct uproc {
    // ---- the hand-off: written by the creator ----
    uint64 magic;                   // UPROC_MAGIC
    int pid;
    int h_mem;                      // CAP_MEMORY: where pages come from
    int h_srv;                      // CAP_ENV with CAP_X: the file server
    int h_cons;                     // CAP_CONSOLE
    int h_clock;                    // CAP_CLOCK
    int h_cpu;                      // CAP_CPU
    int h_storage;                  // CAP_BLOCKS (R|W): the program's disk storage (/storage), or -1
    int h_uproc[UPROC_PAGES];       // this region's pages: the struct, the builder's page, the stacks
    int vptdir[VPT_PAGES];          // handle + 1 of each page of the software page table
    uint64 sz;                      // the program break: memory is [0, sz)
    uint64 fork_sp;                 // fork's child: the stack pointer fork returns on
    struct fdinfo fd[LIBOS_NOFILE];
    char name[LIBOS_NAMELEN];
    uint64 heap;                    // where the heap starts: a page in [heap, sz) with no
                                    // software page table entry is lazy (sbrklazy, mem.c)

    // ---- this environment's own run-time state ----
    int envid;                      // this environment's id (exo_envid)
    int depth;                      // nesting of LibOS calls: a kill waits until it is 0
    int exiting;                    // exit has begun: a kill has nothing left to do
};

#define UPROC ((struct uproc *)UPROC_VA)
#define VPT ((volatile vpte_t *)VPT_VA)

_Static_assert(sizeof(struct uproc) <= PG, "struct uproc must fit its page");
// The console's monitor and the live view (xv6j.libos.Uproc) read a process's pid and name
// from its hand-off, as a debugger would, to name environments: moving either means
// changing Uproc too.
_Static_assert(__builtin_offsetof(struct uproc, pid) == 8 && __builtin_offsetof(struct uproc, name) == 1232,
               "xv6j.libos.Uproc reads pid and name at these offsets");
