// The exokernel's system calls: everything kernel-exo offers, one function per call.
//
// kernel-exo protects and multiplexes the machine and implements no policy: no files,
// no processes, no pids, no paths. It names resources by capabilities: physical pages,
// ranges of physical memory to allocate pages from, ranges of disk blocks, environments
// (protection domains), CPU time, the console and the clock. A library OS (user/libos)
// builds xv6's processes, files and memory management out of these calls.
//
// Conventions
// - A handle is a small integer naming a capability in the calling environment's own
//   capability table, which only the kernel writes. A number that is not a live handle
//   of the caller is an error (E_BADCAP), never someone else's resource.
// - Every call checks the type and rights of every handle it is given, on every use.
// - Results >= 0 mean success; errors are the negative E_* values below.
// - EXO_SELF in place of an environment handle means the caller itself.
// - System-call numbers are 0x100 and up (a7), so a binary built for the xv6 kernel
//   (numbers 1..21) that is started here dies with a message saying so.
#pragma once

typedef unsigned long exo_u64;

// ---- errors ----
#define E_INVAL    -1   // a bad argument: negative, out of range, misaligned, unknown op
#define E_BADCAP   -2   // not a live handle in the caller's table
#define E_TYPE     -3   // the handle names a capability of the wrong type
#define E_RIGHTS   -4   // the capability lacks a right the call needs, or more rights were asked for
#define E_NOMEM    -5   // the memory capability's quota (or its range) has no page left: for the page
                        // asked for, or for the kernel's records the call needs (see "Memory" below)
#define E_RANGE    -6   // an address, page or block outside what the capability covers
#define E_FULL     -7   // the target capability table is full
#define E_BUSY     -8   // the resource is in use (a hinted page or block range already taken)
#define E_REFUSED  -9   // a protected control transfer the callee does not accept
#define E_DEAD     -10  // the environment has exited
#define E_FAULT    -11  // a user pointer argument is not mapped (with the needed rights)
#define E_AGAIN    -12  // nothing available now (non-blocking console read)

// ---- capability types ----
#define CAP_PAGE    1   // one physical page
#define CAP_MEMORY  2   // a range of physical pages that pages may be allocated from, and a quota
#define CAP_BLOCKS  3   // a range of disk blocks
#define CAP_ENV     4   // an environment
#define CAP_CPU     5   // CPU time: an environment runs only while it holds one
#define CAP_CONSOLE 6   // the console device
#define CAP_CLOCK   7   // the clock device

// ---- rights (a capability's rights only shrink along a derivation) ----
#define CAP_R      0x01  // PAGE: map readable. BLOCKS: read. ENV: read its state. CONSOLE: read. CLOCK: read. MEMORY: allocate
                         // (a page allocated from MEMORY gets the MEMORY capability's rights, so its W and X
                         // say whether its pages may be mapped writable and executable)
#define CAP_W      0x02  // PAGE: map writable. BLOCKS: write. ENV: control (map into, grant into, registers, start, stop,
                         // destroy). CONSOLE: write
#define CAP_X      0x04  // PAGE: map executable. ENV: call it (protected control transfer). CPU: run on it
#define CAP_GRANT  0x08  // may derive capabilities for other environments (capgrant)
#define CAP_REVOKE 0x10  // may revoke what was derived from it (caprevoke)
#define CAP_ALL    0x1f

// ---- what the first environment receives ----
// The boot loader starts the first environment (/init of fs-exo.img) with these handles,
// each with CAP_ALL: all free memory, the whole disk, the console, the clock, the CPU.
#define EXO_BOOT_MEMORY  0
#define EXO_BOOT_DISK    1
#define EXO_BOOT_CONSOLE 2
#define EXO_BOOT_CLOCK   3
#define EXO_BOOT_CPU     4

#define EXO_SELF (-1)

// Handles per environment: 0 .. EXO_NCAP-1. New handles take the lowest free number.
#define EXO_NCAP 65536

// ---- the address space ----
// User virtual addresses run from 0 to EXO_UTOP; the top of the Sv39 space above it is
// reserved for the kernel, and nothing can be mapped there.
#define EXO_PGSIZE 4096
#define EXO_MAXVA  (1UL << 38)
#define EXO_UTOP   (EXO_MAXVA - (1UL << 30))
#define EXO_BSIZE  1024     // disk block size

// What a capability names (capinfo).
struct exo_capinfo {
    int type;          // CAP_*
    int rights;        // CAP_R | CAP_W ...
    exo_u64 first;     // PAGE: physical page number (physical address / EXO_PGSIZE); MEMORY: first page number;
                       // BLOCKS: first block; ENV: environment id; others: 0
    exo_u64 count;     // MEMORY: pages; BLOCKS: blocks; CPU: the longest slice its holders may run at once,
                       // in ticks (EXOSCHED_SLICE); PAGE, ENV, others: 1
    exo_u64 quota;     // MEMORY: the quota, in pages (below); others: 0
    exo_u64 used;      // MEMORY: pages charged to the quota now, its sub-quotas' included; others: 0
};

// ---- memory: quotas ----
// Everything the kernel keeps is paid for in pages of some CAP_MEMORY capability's quota,
// as in seL4, where kernel objects are made from untyped memory: so running out of memory
// is always a quota running out, the asker's own, never the machine's.
//   - A page (capalloc CAP_PAGE) is charged to the quota of the memory capability it
//     comes from, until the last capability naming it goes.
//   - An environment's kernel memory is taken from the range, and charged to the quota,
//     of the memory capability that pays for it (capalloc CAP_ENV's src): its record
//     (registers, activations, its queue of revocation notices) and its root page
//     table, 2 pages from the start; then each page-table page as its address space
//     needs one (a page table that unmapping empties goes back), and a page for every
//     EXO_RECORDS_PER_PAGE capabilities in its table and mappings in its address space.
//     So memory divided into ranges stays divided: nothing one range pays for lies in
//     another.
// A quota is a limit on what may be charged to it and to every quota derived from it at
// once: capgrant may give a memory capability a quota of its own (smaller), and a page
// charged to that one counts against both. The first environment's memory has a quota of
// all RAM, so the kernel never promises more pages than there are.
#define EXO_RECORDS_PER_PAGE 64
#define EXO_ENV_PAGES 2

// ---- capabilities ----

// Allocates a resource and returns a handle to a new capability for it (all rights).
//   CAP_PAGE:  src = a CAP_MEMORY handle with CAP_R; hint = the physical page number
//              wanted, or -1 for any free page in src's range (the lowest). The page is zeroed.
//              The new capability has src's rights and is derived from src (revoking src, or
//              an ancestor of it, takes the page back).
//              E_BUSY if the hinted page is taken, E_NOMEM if src's range has no free page.
//   CAP_BLOCKS: src = a CAP_BLOCKS handle; hint = first block, count = blocks: a new
//              capability for that sub-range of src, with src's rights, derived from src
//              (so revoking src revokes it). Blocks are not exclusive: exclusivity is
//              the policy of whoever grants ranges.
//   CAP_ENV:   creates an environment: an empty address space, an empty capability table,
//              stopped, and without CPU: it does not run until it is given a CAP_CPU
//              capability (capgrant) and started (env_ctl ENV_START). The caller is its
//              parent and gets EV_CHILD when it exits. src = a CAP_MEMORY handle with CAP_R
//              of the caller's that pays for the environment's kernel memory (EXO_ENV_PAGES
//              now, more as it grows: see "Memory"); the environment lives no longer than
//              that capability: freeing or revoking it, or the caller's end, destroys it
//              (status -1). hint and count are ignored. The capability is a root (CAP_ALL).
//              E_NOMEM when src's quota cannot pay.
//   Other types: E_INVAL (use capgrant to derive MEMORY ranges and the rest).
long capalloc(int type, long hint, int src, long count);

// Releases the caller's capability. Mappings and bindings made through it are removed.
// Capabilities derived from it stay, and a revocation of an ancestor still reaches them
// (while two or more do, the freed one stays in the derivation tree as their common
// parent, holding nothing, so a free costs the same however many derive from it; CPU
// shares derived from a freed share so stay one share of its parent's time). A page
// returns to the free pool only when no capability for it remains anywhere.
long capfree(int handle);

// Derives a capability for environment env (EXO_SELF, or a CAP_ENV handle of the caller
// with CAP_W: its controller; the right to call an environment is not the right to fill
// its table) with the given rights, which must be a subset of the source's (else
// E_RIGHTS); needs CAP_GRANT on the source. For CAP_BLOCKS and CAP_MEMORY,
// [first, first+count) must lie inside the source's range and becomes the new
// capability's range (count 0: the whole range); first and count are ignored for other
// types. For CAP_MEMORY, quota > 0 gives the new capability a quota of its own of that
// many pages (at most the source's quota, and at most 128 quotas deep, else E_RANGE),
// derived from the source's; 0 shares the source's quota. quota is ignored for other types. A CAP_CPU derived this way
// is a share of the source's time (see "the CPU"); count > 0 limits the slices its holders
// may run at once to count ticks (at most the source's limit, else E_RANGE; 0: the source's). The slot in env's table is paid from
// env's kernel memory (E_NOMEM). Returns the new handle, in env's table (E_FULL if it is
// full, E_DEAD if env has exited).
long capgrant(int handle, int env, int rights, long first, long count, long quota);

// Removes every capability derived from this one, transitively, in every environment,
// and every mapping, binding and pending protected control transfer made through them
// (a caller waiting to call through a revoked CAP_ENV gets E_BADCAP; a call already
// running completes). The capability itself stays. Needs CAP_REVOKE. Every environment
// that lost a handle gets a notice naming it (EV_NOTICE; exo_notices reads them; an
// upcall if registered). Revoking a CAP_CPU stops its holders from running.
// Returns the number of capabilities removed.
long caprevoke(int handle);

// Fills *info with what the handle names.
long capinfo(int handle, struct exo_capinfo *info);

// ---- the CPU ----
// Time is divided along the derivation tree of CAP_CPU capabilities: a capability's time
// goes round robin to its holder (if it runs on that capability: an environment runs on
// the first CPU capability with CAP_X it was given) and to each capability derived from
// it, one slice each. So an environment that gives CPU to a thousand others shares out
// its own time and takes nothing from anyone else. A caller waiting for a busy callee
// lends its time to the call the callee is serving, so a callee is never held up by the
// slices of the caller it serves. Turns are counted in ticks: a turn that lasted n ticks
// (a slice of n) passes up the next n-1 turns it would have had, so a long slice buys no
// more time than a short one, only fewer switches; but while it lasts, the others sharing
// the hart wait. So how long a share's slices may be is its capability's (capgrant's count;
// the boot CPU allows 100 ticks): a library OS that wants its processes to answer quickly
// gives them shares of short slices.
#define EXOSCHED_YIELD    0  // give up the rest of the slice
#define EXOSCHED_YIELD_TO 1  // a = CAP_ENV handle (CAP_W or CAP_X): run that environment next with the
                             //     rest of this slice; E_AGAIN (and no yield) if it cannot run now
#define EXOSCHED_SLICE    2  // a = slice length in ticks (1..100): the caller's time slice; E_RANGE if
                             //     longer than its CPU capability allows (capinfo's count)
#define EXOSCHED_BLOCK    3  // a = event mask (EV_*): sleep until one happens; returns the events seen
#define EXOSCHED_WAIT     4  // a = user address of an int, b = value: if *a == b, sleep until
                             //     EXOSCHED_WAKE on the same physical word (in any address
                             //     space), the next tick, or a mapping of the caller's of
                             //     that page goes; returns 0 (a futex on physical names).
                             //     Waiting here does not keep an idle machine going: only
                             //     EXOSCHED_BLOCK on EV_TICK does (and at a terminal, on
                             //     EV_CONSOLE or EV_KEY: the machine waits for a key)
#define EXOSCHED_WAKE     5  // a = user address: wake every environment waiting on that
                             //     physical word; returns how many

// Events an environment can block on. Each is remembered until it is consumed by a
// BLOCK that includes it, so none is lost between checking and blocking; BLOCK returns
// the events it consumed. EV_CONSOLE is the exception: it is pending exactly while
// console input waits to be read.
//
// Two events for keys: EV_CONSOLE is a reader's, EV_KEY a listener's (one that reacts to
// keys another reads, as a server taking ^C in). An idle machine tells them apart: a batch
// run types its script's next line when someone blocks on EV_CONSOLE, and a terminal waits
// for a key while someone blocks on either. A script's lines are not typed keys: they
// raise no EV_KEY, so a listener neither brings them early nor keeps a batch run going.
#define EV_PCT     0x01  // a protected control transfer into us has completed (a call runs at
                         // once whatever we were doing; this lets a server do deferred work)
#define EV_CHILD   0x02  // an environment the caller created has exited
#define EV_CONSOLE 0x04  // console input is available
#define EV_TICK    0x08  // the clock ticked
#define EV_NOTICE  0x10  // a revocation notice arrived
#define EV_KEY     0x20  // a key was typed at the terminal (since the caller last consumed EV_KEY)

long exosched(int op, long a, long b);

// ---- environments ----
#define ENV_START   0   // let it run (when it holds CPU)
#define ENV_STOP    1   // stop running it
#define ENV_DESTROY 2   // arg = exit status: destroy it; everything only it held is freed, and every
                        // environment its memory capabilities paid for is destroyed too
#define ENV_GETREGS 3   // arg = struct exo_regs *: read its saved registers
#define ENV_SETREGS 4   // arg = struct exo_regs *: set them
#define ENV_INFO    5   // arg = struct exo_envinfo *

// ENV_START/STOP/DESTROY/GETREGS/SETREGS need CAP_W on the environment's capability,
// ENV_INFO needs CAP_R. EXO_SELF works for all (ENV_DESTROY on EXO_SELF is exit;
// ENV_SETREGS on EXO_SELF continues from the new registers). E_DEAD for an exited
// environment, except ENV_INFO, which still reports its status. The registers of an
// environment serving a protected control transfer are those of the call. ENV_STOP stops
// the environment's own code: a call it is serving (or is called to serve while stopped,
// unless it stopped in its upcall handler: see pct_call), or that it made and that
// another environment is serving, goes on.
//
// An environment that no other environment holds a CAP_ENV for can never be controlled,
// called or waited for again: the kernel destroys it (status -1) when the last such
// capability goes, and everything it held comes back. (The first environment, which no
// one names, is the exception: its end is the machine's.)
struct exo_regs {
    exo_u64 x[32];   // x[0] is ignored
    exo_u64 f[32];   // raw floating-point registers
    exo_u64 pc;
    exo_u64 fcsr;
};

#define ENV_STATE_STOPPED 0
#define ENV_STATE_RUNNABLE 1
#define ENV_STATE_BLOCKED 2
#define ENV_STATE_EXITED 3

struct exo_envinfo {
    int id;          // the environment's id (unique for the boot)
    int parent;      // its creator's id
    int state;       // ENV_STATE_*
    int status;      // exit status, once EXITED
    exo_u64 ticks;   // its own time: the ticks its thread ran into (a run of its code, or
                     // of a call it helps along, during which the clock passed a tick
                     // counts one); not those it waited for a CPU, slept or was stopped
    int waits;       // ENV_WAITS_*: what it is blocked in (whether or not it is stopped too)
    int on;          // ENV_WAITS_EVENTS: the events it waits for; ENV_WAITS_CALLEE: the
                     // callee's id; else 0
    exo_u64 ended;   // how many environments it created have ended (each once, however it
                     // ended): a parent that counts the ends it caused itself (ENV_DESTROY
                     // returning 0) learns from one ENV_INFO on EXO_SELF whether any other
                     // came, instead of asking about each child
    int cpu;         // the CPU (hart) its thread is on at this moment, or -1: RUNNABLE and
                     // not on one waits for a CPU (^P's listing tells the two apart, as
                     // xv6's procdump tells RUNNING from RUNNABLE)
};

#define ENV_WAITS_NONE 0    // not blocked
#define ENV_WAITS_EVENTS 1  // in EXOSCHED_BLOCK
#define ENV_WAITS_WORD 2    // in EXOSCHED_WAIT
#define ENV_WAITS_CALLEE 3  // in the queue of a callee busy with another call

long env_ctl(int env, int op, void *arg);

// ---- secure bindings ----
#define MAP_R 0x1
#define MAP_W 0x2
#define MAP_X 0x4

// Maps page at va (page-aligned, below EXO_UTOP, else E_INVAL) in env's address space
// (EXO_SELF, or a CAP_ENV handle with CAP_W), user-accessible, with perm a non-empty
// subset of MAP_R|MAP_W|MAP_X allowed by the page capability's rights (MAP_W needs MAP_R).
// page is a CAP_PAGE handle in env's own table (for EXO_SELF, the caller's): every
// mapping is made through a capability of the address space's owner, so it lives as
// long as that capability, whoever made it (a parent capgrants a page to its child,
// then maps the child's new handle). Replaces any earlier mapping at va. E_NOMEM if a
// page-table page cannot be had.
long exo_map(int env, exo_u64 va, int page, int perm);

// Removes the mapping at va (no error if there is none).
long exo_unmap(int env, exo_u64 va);

// capgrant and exo_map in one call, for the pair a builder makes for every page it gives
// (fork, exec): derives a CAP_PAGE capability for env (EXO_SELF, or a CAP_ENV handle with
// CAP_W) from page (CAP_GRANT needed) with rights (a subset of page's, else E_RIGHTS), and
// maps the new handle at va in env's address space with perm, as exo_map would (perm a
// subset of rights, else E_RIGHTS; perm 0: grant only, va ignored). Everything is checked
// before anything changes; if the mapping cannot be paid (E_NOMEM) the new capability
// goes too. Returns the new handle, in env's table. Errors as capgrant's and exo_map's.
long exo_grantmap(int page, int env, int rights, exo_u64 va, int perm);

// A batch: up to EXO_BATCH_MAX calls in one crossing of the kernel boundary. Each element
// names a call (num: SYS_capalloc, SYS_capfree, SYS_capgrant, SYS_exo_map, SYS_exo_unmap or
// SYS_exo_grantmap; any other is E_INVAL, as that element's result) and its arguments, and
// runs exactly as that call would alone: the same checks, the same quotas. They run in
// order; each one's result is stored in its ret as soon as it has run, and the first that
// fails ends the batch. Returns how many succeeded: n if all did; k < n if calls[k] failed
// (its error in calls[k].ret), so calls[0..k-1] took effect, calls[k] changed nothing,
// and calls[k+1..] did not run (their ret untouched): the caller can undo or finish. A
// call's arguments are fixed before any runs, so it cannot be given an earlier one's
// result (a handle) unless the caller predicts it (handles are lowest-free): batch what is
// known, then the rest. A predicted handle is checked as any other, so it grants nothing.
// E_INVAL for n < 0 or n > EXO_BATCH_MAX, E_FAULT unless the whole array is mapped
// readable and writable: then nothing ran. (A call that takes any page of the array from
// the caller, unmapping it or mapping another over it, ends the batch after it, counted as
// run; its ret is written only if its own slot is still writable, and nothing after runs.)
#define EXO_BATCH_MAX 64
struct exo_call {
    exo_u64 num;      // SYS_*
    exo_u64 a[6];     // the call's arguments, in the order of its C prototype
    long ret;         // set by the kernel: the call's result
};
long exo_batch(struct exo_call *calls, long n);

// Disk I/O, one block: op EXO_DISK_READ reads block blockno, which must lie in the
// CAP_BLOCKS capability's range (CAP_R; else E_RANGE), into the page (CAP_PAGE, needs
// CAP_W) at byte offset off (a multiple of EXO_BSIZE, below EXO_PGSIZE). EXO_DISK_WRITE
// writes it from the page (CAP_W on the blocks, CAP_R on the page) and returns when the
// block is on stable storage, and so is every write before it. EXO_DISK_WRITE_CACHED
// writes it into the disk's write cache: readable at once, but a crash may lose it until
// a later EXO_DISK_FLUSH or EXO_DISK_WRITE has returned, and cached writes reach stable
// storage in no promised order. EXO_DISK_FLUSH (blocks: any CAP_BLOCKS with CAP_W; the
// other arguments unused) returns when every earlier write is on stable storage.
#define EXO_DISK_READ         0
#define EXO_DISK_WRITE        1
#define EXO_DISK_WRITE_CACHED 2
#define EXO_DISK_FLUSH        3
long exo_disk(int blocks, long blockno, int page, long off, int op);

// How many mappings of the page exist, in all environments (the LibOS tells a shared
// page's last user by this, e.g. for copy-on-write). Mappings, not holds: an environment
// holding a capability for the page may unmap it and map it again later, so a page is
// yours alone only once you have also revoked what you gave of it (caprevoke).
long exo_pagerefs(int page);

// ---- devices ----
// Writes n bytes from buf to the console (CAP_CONSOLE with CAP_W), but at most
// EXO_CONS_MAX in one call (a call holds the kernel, and the console is slow): returns how
// many it wrote; E_FAULT, and nothing written, if those are not all readable.
#define EXO_CONS_MAX 4096
long exo_cons_write(int console, const void *buf, long n);
// Reads up to n bytes of input (CAP_CONSOLE with CAP_R); E_AGAIN if none is waiting
// (block with EXOSCHED_BLOCK EV_CONSOLE). Input is raw: no echo, no line editing.
long exo_cons_read(int console, void *buf, long n);
// Ticks since boot (CAP_CLOCK with CAP_R): 10 a second.
long exo_ticks(int clock);  // always the tick the clock is at now, whatever the caller did before

// ---- upcalls ----
// Faults, illegal instructions and breakpoints of the environment, the end of its time
// slice and revocation notices can be delivered to a handler in the environment itself.
#define UPCALL_FAULT  0x1   // page faults, access faults, misaligned, illegal instruction, breakpoint
#define UPCALL_SLICE  0x2   // the time slice ended (the handler should yield soon)
#define UPCALL_NOTICE 0x4   // a capability was revoked

// What the kernel pushes on the upcall stack; a0 points at it when the handler starts.
struct exo_frame {
    struct exo_regs regs;    // the interrupted state; regs.pc is the faulting instruction
    exo_u64 kind;            // UPCALL_FAULT / UPCALL_SLICE / UPCALL_NOTICE
    exo_u64 cause;           // the RISC-V scause (12/13/15: fetch/load/store page fault ...)
    exo_u64 tval;            // faulting address, instruction bits, or the revoked handle
};

// Registers handler (its entry point) and the top of its stack for exactly the kinds in
// mask (replacing any earlier registration; mask 0 removes it). The frame goes just below
// stack_top, 16-byte aligned; that much of the stack must be mapped writable now (else
// E_FAULT) and when an upcall comes (else the environment is destroyed). The handler
// starts with a0 = sp = the frame; other registers are as interrupted. While a handler
// runs (until exo_resume), a fault destroys the environment (status -1), and slice ends
// and notices wait. Kinds without a handler: a fault destroys the environment (status -1,
// with a one-line message); the end of a slice preempts it transparently; a notice is only
// queued. After a slice upcall the environment keeps the CPU for one more tick at most.
// A notice upcall has tval = the first handle lost; all stay queued for exo_notices.
long exo_upcall(void (*handler)(struct exo_frame *), exo_u64 stack_top, int mask);

// Returns from a handler: restores every register from frame (which may have been
// changed, e.g. to skip an instruction) and continues there.
long exo_resume(struct exo_frame *frame);

// Reads up to max pending revocation notices (the handles lost) into handles; returns
// how many. At most 64 wait; when more come, the last one is -1: "some were lost".
long exo_notices(int *handles, long max);

// ---- protected control transfer ----
#define PCT_ANY     0   // accept calls from any environment that holds a capability with CAP_X for us
#define PCT_KNOWN   1   // also require that we hold a CAP_ENV capability for the caller

// Registers the entry point of calls into this environment and the stack it runs on
// (entry 0: accept no calls). The entry runs with a0 = the caller's environment id,
// a1..a6 = the caller's six arguments, sp = stack_top (16-byte aligned down), the other
// registers as the callee's own; it must end with pct_return.
//
// Registers, for those writing the stubs: the caller's ecall has a0 = env handle and
// a1..a6 = arguments; it returns a0 = 0 (or an error) and a1..a6 = the callee's results,
// which pct_return passes in its a1..a6. Nothing is copied through memory.
long pct_register(void (*entry)(void), exo_u64 stack_top, int policy);

// Calls into env (CAP_ENV with CAP_X) with six arguments; returns when the callee calls
// pct_return, with 0 and the callee's six results in out[0..5], or with an error of the
// transfer (below; out is then untouched). The return value is only the transfer's, so a
// callee's result can never be mistaken for an exokernel error.
// The call runs at once on the caller's CPU and time slice; the callee's own state is
// saved and restored around it. A callee already serving a call, itself waiting to call,
// or in its upcall handler (until exo_resume: the call's upcalls would use the same
// stack) makes the caller wait; so does one whose own thread, able to run, calls have
// kept from running for a tick: the call waits until that thread has had a turn (its
// slice, or until it yields or blocks), which the waiting callers' turns run too. E_REFUSED if the callee has no entry or its policy refuses
// the caller; E_BUSY if the callee is the caller or one of its callers (it would wait for
// itself); E_DEAD if the callee has exited or dies during the call.
//
// A call survives its caller. Whatever happens to the caller meanwhile (destroyed,
// stopped, its CPU or its capability for the callee revoked), the call runs on in the
// callee until the callee returns; only its results are dropped if the caller is gone.
// The callee is never resumed in a state it did not choose: it never learns of the
// caller's end in the middle of a call, and needs no code to unwind one. A call whose
// caller is gone runs on the callee's own CPU, or on the time of callers waiting for it.
long pct_call(int env, const exo_u64 args[6], exo_u64 out[6]);

// Ends a call: results r[0..5] go to the caller (if it still exists). Does not return:
// called while not serving a call, the stub stops at a breakpoint (a fault, to the fault
// upcall if any).
void pct_return(const exo_u64 r[6]) __attribute__((noreturn));

// The caller's own environment id.
long exo_envid(void);

// ---- how the first environment starts ----
// The boot loader maps /init's PT_LOAD segments at their addresses with their R/W/X rights
// and EXO_BOOT_STACK_PAGES pages of stack (R/W) ending at EXO_UTOP, nothing else. Each page
// is mapped through a CAP_PAGE capability (CAP_ALL) of its own in /init's table, handles
// EXO_BOOT_PAGES and up in address order, after the boot handles above. /init starts at
// its entry point with a0 = argc (1), a1 = argv ({"init", 0}; the strings and the array at
// the top of the stack), a2 = sp = a struct exo_bootinfo listing those pages.
#define EXO_BOOT_PAGES       5
#define EXO_BOOT_STACK_PAGES 4

struct exo_bootpage {
    exo_u64 va;       // where the page is mapped
    exo_u64 handle;   // its CAP_PAGE handle
};
struct exo_bootinfo {
    exo_u64 npages;
    struct exo_bootpage page[];
};

// ---- system-call numbers (a7) ----
// In a header of their own, so that the assembly stubs (user/exosys.S) can include them.
#include "exo_sysnum.h"
