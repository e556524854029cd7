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
// The ticks env handle h's thread has run into (ENV_INFO's ticks), or -1.
long env_ticks(int h);
// Blocks until n ticks of the boot clock have passed.
void sleep_ticks(long n);

// After taking from child h what its loop accesses (a page it reads, the code it runs),
// waits for h to end by the fault its next access must take. *runs counts h's loops, each
// counted after its accesses, and was then when the access was taken: then + 2 means h ran
// a whole loop after (the one under way may have made its accesses before). Returns 1 if
// h ended; else destroys it and returns 0 (the caller says what broke). No time limit
// decides: a loaded host stretches time, not the count. (The wait has WAIT_UNTIL's bound.)
int ends_by_fault(int h, volatile long *runs, long then);

// ---- waiting for another environment ----
// WAIT_UNTIL(cond, step): does step (a yield, a block for a tick) until cond holds. A wait
// for what another environment promised (a flag, a count, its end) is bounded, so that a
// broken promise ends the run with a line that says which, not a spin to the host's limit:
// after RT_WAIT_TICKS ticks it prints "FAIL waited <n> ticks for <cond> (line N)" and
// exits with status 1 (/init's exit ends the machine). The bound is far above what any
// program here needs (the longest, pctchain, takes 124 ticks in all) and below the test
// harness's limits (3000 ticks of virtual time; 60 s, 600 ticks, of the host's). Time is
// rdtime's, read in user mode: a look costs no crossing, so a yield stays one crossing.
#define RT_WAIT_TICKS 300
#define WAIT_UNTIL(cond, step) \
    for (exo_u64 rt_since_ = rt_time(); !(cond); (step)) rt_wait_bound(rt_since_, #cond, __LINE__)
// The time CSR: 10 MHz, RT_TIME_PER_TICK to a tick of exo_ticks (a tenth of a second of
// the host's time, or a million instructions of virtual time).
#define RT_TIME_PER_TICK 1000000UL
exo_u64 rt_time(void);
void rt_wait_bound(exo_u64 since, const char *what, int line);
