// The console's input, shared by every process: one line discipline (lib/linedisc.c),
// fed from the exokernel's raw console. The server's own thread may not touch it (a call
// may be running), so keys are taken in during calls: when a process reads the console,
// and each time a shell on the stack below asks after its children (SRV_WAIT, which a
// waiting shell's LibOS repeats whenever its word is woken, and at least every tick). The
// server's thread listens for typed keys (EV_KEY) and wakes those shells (cons_keys_typed),
// so typed keys are echoed at once, whether the shell is at its prompt or runs a command,
// and ^C is heard even when nothing else could ever run (ctrlcdeaf pipe).
//
// ^C interrupts the foreground: the processes the interactive shell waits for, its
// descendants, and the rest of its process group (what its commands left behind, orphans
// included) are killed (never the shell, the shells below it or init; but see
// interrupt_foreground for a program that only claims to be one). The shell leads a group
// of its own and puts a background command in another (setpgid). A shell becomes the interactive
// one with SRV_INTERACTIVE (user.h's interactive()) before each prompt, so one started
// from another takes over until it exits. xv6j's kernel does the same in its console
// driver (xv6j.kernel.ConsoleDevice).
//
// Who may take over: the interactive shells form a stack. At its bottom, a shell init
// started; above each, a process it started that still descends from it (an orphan goes
// to init, and off the stack with whatever was above it). A process may become the
// interactive one if it is on the stack (those above it come off) or descends from the
// top. Any process could take over before, and a background one that did turned ^C away
// from whatever the shell ran next: a runaway command could no longer be interrupted.
#include "sproc.h"
#include "../lib/linedisc.h"

static struct linedisc ld;
// The stack of interactive shells, by slot and pid (slots are reused).
static int stack_slot[NPROC], stack_pid[NPROC];
static int depth;

static void echo(void *arg, const char *s, int n) {
    exo_cons_write(SRV_CONS, s, n);
}

// True if slot's process descends from ancestor's, in the process table.
static int descends(int slot, int ancestor) {
    return proc_ancestor(ancestor, slot);
}

// The console's interactive shell (a slot), or -1: the top of the stack, once the entries
// that no longer belong there are off it.
static int top(void) {
    int valid = 0;
    while (valid < depth) {
        struct sproc *p = &procs[stack_slot[valid]];
        int ok = p->state == P_LIVE && p->pid == stack_pid[valid] &&
                 (valid == 0 ? p->forker == proc_init_pid() : descends(stack_slot[valid], stack_slot[valid - 1]));
        if (!ok) break;
        valid++;
    }
    depth = valid;
    return depth > 0 ? stack_slot[depth - 1] : -1;
}

int cons_interactive(int slot) {
    int t = top();
    for (int i = 0; i < depth; i++) {
        if (stack_slot[i] == slot) {
            depth = i + 1;      // it takes the console back from those above it
            return 0;
        }
    }
    if (t >= 0 ? !descends(slot, t) : procs[slot].forker != proc_init_pid()) return -1;
    stack_slot[depth] = slot;
    stack_pid[depth] = procs[slot].pid;
    depth++;
    return 0;
}

int cons_on_stack(int slot) {
    top();
    for (int i = 0; i < depth; i++)
        if (stack_slot[i] == slot) return 1;
    return 0;
}

// Whether slot's process has a child it may wait for.
static int has_child(int slot) {
    for (int i = 0; i < NPROC; i++)
        if (procs[i].parent == slot && (procs[i].state == P_LIVE || procs[i].state == P_EMBRYO)) return 1;
    return 0;
}

// Whether slot's process lives as a shell does: blocked reading the console or waiting for
// a child that still runs, or on its way between the two, within LISTEN_GRACE ticks of its
// own time since it claimed the console, read it or waited (printing its prompt; parsing a
// line and starting its command; woken by keys or by its word, to ask again). Its own time
// (exo.h's ENV_INFO ticks) leaves out what it waited for a CPU: counted in the machine's
// ticks, a shell kept from its CPU on a busy machine looked deaf. caller is the process
// whose call to us took the keys in (it is in that call, so its own word holds). A child
// it waits for must live (when the last ended, it was woken to reap it).
//
// Blocked (other than in our queue, to call us), a shell waits only for keys, after a read
// told "again" (console.c), or on its word, after a wait told "again" (proc.c). Blocked on
// anything else (or stopped), it claimed the console, or asked it once, and went to sleep:
// a deaf program, which was taken for a reader for as long as it liked (deputy deafread).
// One that spins is heard LISTEN_GRACE ticks of its time later. One that sleeps in its
// LibOS, on the clock or a pipe, is up for a moment at every tick (each tick ends every
// EXOSCHED_WAIT, and sleep looks at the time): its IPC page says it is asleep, else a ^C
// that caught it up took it for a shell within its grace, which it never leaves
// (ConsoleKeysTest's nested shell on kernel-exo, now and then).
static int reads_or_waits(int slot, int caller) {
    struct sproc *p = &procs[slot];
    if (slot == caller) {
        if (p->idle == IDLE_READ || (p->idle == IDLE_WAIT && has_child(slot))) return 1;
    } else {
        struct exo_envinfo info;
        if (p->env < 0 || env_ctl(p->env, ENV_INFO, &info) < 0 || info.state == ENV_STATE_STOPPED) return 0;
        if (proc_ipc(slot)->asleep) return 0;
        if (info.state == ENV_STATE_BLOCKED && !(info.waits == ENV_WAITS_CALLEE && info.on == srv_envid)) {
            if (p->idle == IDLE_READ) return info.waits == ENV_WAITS_EVENTS && (info.on & EV_CONSOLE) != 0;
            if (p->idle == IDLE_WAIT) return info.waits == ENV_WAITS_WORD && has_child(slot);
            return 0;
        }
    }
    return proc_ticks(slot) - p->listen_tick <= LISTEN_GRACE;
}

// Kills what the interactive shell waits for, its descendants, and the rest of its group
// (never the shell's ancestors, the shells below it); returns how many it waited for (0: it
// is at its prompt, which ^C then renews, whatever orphans of its group went). A shell
// above the bottom one that neither reads the console nor waits for a child is no shell but
// a program that claimed the console to be deaf to ^C: it goes too, and ^C falls through to
// the shell below. (A real shell busy between the two, printing its prompt or starting its
// command, is within LISTEN_GRACE ticks of its last read or wait: reads_or_waits.)
static int interrupt_foreground(int caller) {
    int shell = top();
    if (shell < 0) return 0;
    int n = 0;
    if (depth > 1 && !reads_or_waits(shell, caller) && proc_kill(procs[shell].pid) == 0) n++;
    for (int i = 0; i < NPROC; i++) {
        if (i == shell || (procs[i].state != P_LIVE && procs[i].state != P_EMBRYO)) continue;
        if (descends(i, shell)) {
            proc_kill(procs[i].pid);        // refuses init; killing twice is harmless
            n++;
        } else if (procs[i].pgid == procs[shell].pgid && !descends(shell, i)) {
            proc_kill(procs[i].pid);
        }
    }
    return n;
}

// Keys typed while the line buffer was full, in order, fed in as readers make room (xv6
// drops them; here a pasted long line loses nothing). When this fills too, the keys stay
// in the kernel's console buffer until there is room again.
#define PENDING 4096
static uchar pending[PENDING];
static uint pending_r, pending_w;

static void feed(int c, int caller) {
    int ev = ld_input(&ld, c, echo, 0);
    if (ev == LD_PROCDUMP) proc_dump(caller);
    else if (ev == LD_INTERRUPT) ld_interrupted(&ld, interrupt_foreground(caller) == 0, echo, 0);
}

// Readers that found no line wait on EV_CONSOLE, which kernel-exo keeps pending while keys
// wait in its buffer. Keys another call takes in (a shell's wait looks for ^C; a read that
// commits more than the line it takes) wait in ours instead, and a reader already told
// "again" would sleep on with a line there for it: ConsoleKeysTest's kernel-exo terminal
// hung now and then so, the outer shell's wait having taken the inner shell's ^D. So when
// a call leaves committed input, every other process waiting to read is woken: its kill
// token is revoked, and the notice ends its block (proc_ring); it asks again.
static void wake_readers(int caller) {
    if (ld.r == ld.w) return;
    for (int i = 0; i < NPROC; i++) {
        if (i != caller && procs[i].state == P_LIVE && procs[i].idle == IDLE_READ) proc_ring(i);
    }
}

// Keys the server's thread heard typed (EV_KEY), and how many of those a call had heard of
// when it last took keys in. A shell woken for a key may have asked just before the key
// came and be on its way to sleep on its word: the wake-up misses it. So while a call has
// yet to take in keys heard of, the thread ticks (cons_keys_untaken): each tick ends every
// EXOSCHED_WAIT, the shell asks again, and on the virtual clock a tick comes only when
// someone blocks on EV_TICK. A call that read keys_heard before taking keys in took every
// key the thread had heard of by then.
static volatile uint keys_heard, keys_taken;

// From the server's thread, like proc_wake_waiters: the stack is read racily, and a wake-up
// of a word no one sleeps on is lost harmlessly (the tick above makes up for it).
void cons_keys_typed(void) {
    __atomic_add_fetch(&keys_heard, 1, __ATOMIC_SEQ_CST);
    int n = __atomic_load_n(&depth, __ATOMIC_RELAXED);
    for (int i = 0; i < n && i < NPROC; i++) {
        int slot = __atomic_load_n(&stack_slot[i], __ATOMIC_RELAXED);
        if (procs[slot].state == P_LIVE) exosched(EXOSCHED_WAKE, (long)&proc_ipc(slot)->wake, 0);
    }
}

int cons_keys_untaken(void) {
    return __atomic_load_n(&keys_taken, __ATOMIC_SEQ_CST) != __atomic_load_n(&keys_heard, __ATOMIC_SEQ_CST);
}

static void take_keys(int caller);

void cons_poll(int caller) {
    take_keys(caller);
    wake_readers(caller);
}

static void take_keys(int caller) {
    uint heard = __atomic_load_n(&keys_heard, __ATOMIC_SEQ_CST);
    while (pending_r != pending_w && !ld_full(&ld)) feed(pending[pending_r++ % PENDING], caller);
    char keys[64];
    long k;
    while (pending_w - pending_r <= PENDING - sizeof keys && (k = exo_cons_read(SRV_CONS, keys, sizeof keys)) > 0) {
        for (long i = 0; i < k; i++) {
            int c = (uchar)keys[i];
            if (c == LD_CTRL_C) pending_r = pending_w;     // ^C throws away what waits, as the line
            if (c != LD_CTRL_C && (ld_full(&ld) || pending_r != pending_w)) pending[pending_w++ % PENDING] = (uchar)c;
            else feed(c, caller);
        }
    }
    // (Keys left in the kernel's buffer, with ours full, wait for readers, whom EV_CONSOLE wakes.)
    __atomic_store_n(&keys_taken, heard, __ATOMIC_SEQ_CST);
}

long cons_read(int slot, int fd, int n) {
    struct file *f = fdfile(&procs[slot].fs, fd);
    if (f == 0 || f->type != F_DEVICE || f->major != CONSOLE || !f->readable || n < 0) return -1;
    if (n > IPC_DATA_SIZE) n = IPC_DATA_SIZE;
    take_keys(slot);
    // A killed reader (^C kills one) takes nothing: what was typed goes to the next.
    int r = procs[slot].killed ? -1 : ld_read(&ld, proc_data(slot), n);
    wake_readers(slot);
    if (procs[slot].killed) return -1;
    return r < 0 ? SRV_AGAIN : r;
}
