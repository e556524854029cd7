// The standard LibOS's own header: what its files share. Programs see only user.h.
#pragma once

#include "user.h"
#include "exo.h"
#include "uproc.h"
#include "srvproto.h"
#include "build.h"
#include "lib/lib.h"

// ---- every call of the xv6 API (call.c) ----
// A killed process exits at its next entry into the LibOS, or on the way out of the call
// it was in; depth tells the time-slice handler whether it may end the process at once.
void libos_enter(void);
long libos_leave(long r);

// One call to the file server (srvproto.h). out may be 0.
long srv(int op, long a1, long a2, long a3, exo_u64 *out);

// Says what went wrong, on the console, and ends the process with status -1.
void libos_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
// Writes a message to the console, whatever the descriptors say.
void libos_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// ---- memory the program gave us (copy.c) ----
// Copies n bytes; returns 0, or -1 if an address was bad (the fault handler turns the
// fault into this return). Copy-on-write pages are copied on the way, as for any write.
long copy_checked(void *dst, const void *src, uint64 n);
// Copies a NUL-terminated string of at most max bytes, NUL included. Returns its length,
// -1 for a bad address, -2 if there is no NUL within max bytes.
long strcopy_checked(char *dst, const char *src, long max);
// Where the fault handler sends a fault inside the two functions above.
extern char copy_checked_begin[], copy_checked_end[], copy_checked_fault[];

// ---- pages (mem.c) ----
int vpt_present(uint64 va);
vpte_t vpt_get(uint64 va);
void vpt_set(uint64 va, vpte_t e);
// In a page of a software page table, the first entry at or after j that is not empty,
// or VPT_PER_PAGE if there is none: for (j = vpt_next(p, 0); j < VPT_PER_PAGE; j = vpt_next(p, j + 1)).
int vpt_next(const volatile vpte_t *page, int j);
// Makes sure the page of the software page table covering va exists. 0 or -1.
int vpt_make(uint64 va);
// The mapping permissions (MAP_*) of an entry.
int vp_perm(vpte_t e);
// A fresh zeroed page at va in our address space, recorded in the software page table.
int page_new(uint64 va, int flags);
// Unmaps the page at va and releases our capability for it.
void page_drop(uint64 va);
// Allocates a page and maps it at va, outside the software page table (LibOS areas).
// Returns the handle, or a negative error.
long page_private(uint64 va);
// The same, from the memory capability mem (the file server's, before it has a uproc).
long page_from(int mem, uint64 va);
// Is va in a page of the heap that sbrklazy gave no memory yet?
int page_lazy(uint64 va);
// Gives that page its memory: 0, -1 if va is not lazy, -2 if memory ran out.
int lazy_fill(uint64 va);
// Fills the lazy pages of [p, p + n) before kernel-exo itself reads or writes there.
void lazy_touch(const void *p, long n);

// ---- faults and time slices (fault.c) ----
void libos_upcalls(void);

// ---- building a new environment (build.c, image.c): build.h ----

// ---- start-up (start.c) ----
// The first environment's start, linked into init only (server/boot.c); the weak default
// runs a program bare.
void libos_boot(int argc, char **argv, struct exo_bootinfo *bi);
// The file server's start (pid 0), linked into init only; the weak default refuses.
void libos_server(void);

// ---- descriptors (fd.c, pipe.c, console.c) ----
struct fdinfo *fdget(int fd);
void fdinfo_set(int fd, const exo_u64 *out);
int pipe_read(int pipe, char *buf, int n);
int pipe_write(int pipe, const char *buf, int n);
int console_read(int fd, char *buf, int n);
int console_write(const char *buf, int n);
