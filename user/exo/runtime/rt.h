// The runtime of the exokernel's test programs (user/exo/*.c): no library OS, just
// exo.h's calls, printing, a few string functions, and spawning a child environment
// that runs a function of the same program. Everything here is policy of these tests,
// not of kernel-exo.
#pragma once

#include "exo.h"

#define NULL ((void *)0)
typedef unsigned long size_t;

// ---- the program ----
// main(argc, argv, boot): boot is the boot info of exo.h (null in a spawned child).
int main(int argc, char **argv, struct exo_bootinfo *boot);
// Ends this environment (ENV_DESTROY on EXO_SELF) with a status.
void exit(int status) __attribute__((noreturn));

// ---- printing (to the console handle EXO_BOOT_CONSOLE: spawn gives a child the same) ----
// %d %u %x %ld %lu %lx %p %s %c %%. One console write per call, so a short line is never
// interleaved with another environment's.
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

// ---- checks ----
// EXPECT(expr, want): prints "FAIL <expr> = <got>, want <want> (line N)" when they
// differ, and counts it. rt_failures() is the count so far in this environment.
#define EXPECT(expr, want) rt_expect(#expr, (long)(expr), (long)(want), __LINE__)
int rt_expect(const char *what, long got, long want, int line);
int rt_failures(void);
extern int rt_checks;

// ---- memory ----
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

// A fresh zeroed page from EXO_BOOT_MEMORY: its handle (or the error).
long page_alloc(void);
// A fresh page mapped read-write at va in this environment: its handle (or the error).
long page_map(exo_u64 va);

// Shares our page (handle h) with env (a CAP_ENV handle of ours with CAP_W): grants it
// with rights and maps the new handle at va in env with perm. Returns env's handle, or an error.
long give_page(int h, int env, exo_u64 va, int rights, int perm);

// ---- environments ----
// Where the runtime maps pages for a moment (spawn's copies); programs keep clear of it.
#define RT_SCRATCH 0x40000000UL
// A spawned child's stack: this many pages ending at EXO_UTOP.
#define RT_STACK_PAGES 2

#define SPAWN_STOPPED 0x1   // do not start it (env_ctl ENV_START does)

// Creates a child environment that runs fn(arg) in a copy of this program: the text and
// read-only pages shared (CAP_R|CAP_X), data and bss copied as they are now, a fresh
// stack. Its handles 0..4 are grants of ours with the same meaning as the boot handles
// (memory, disk, console, clock, CPU, all rights); its pages come next. When fn returns,
// the child exits with its result. Returns our CAP_ENV handle for it, or an error.
// Only the first environment can spawn (it alone has the boot info).
long spawn(long (*fn)(long), long arg, int flags);
// The same, with the child's handles 0..4 derived from handles[0..4] of ours (memory,
// disk, console, clock, CPU) instead of the boot handles: e.g. a memory capability with a
// quota of its own, or a CPU capability that is a share of ours. The child's kernel
// memory is paid from handles[0].
long spawn_with(long (*fn)(long), long arg, int flags, const int handles[5]);
// spawn, with our page (handle page) shared at va, read-write, before it starts (if
// flags lets it start). Returns our CAP_ENV handle for it, or an error.
long spawn_sharing(long (*fn)(long), long arg, int flags, int page, exo_u64 va);

// Waits for the child named by handle envh to exit (EV_CHILD) and returns its status.
long wait_child(int envh);

// ENV_INFO of env handle h (EXO_SELF for ourselves): its state (ENV_STATE_*), or an error.
long env_state(int h);
