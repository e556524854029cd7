// The process table: fork, exec's commit, exit, wait, kill — xv6's semantics, kept here
// because they outlive every process (a zombie's status, an orphan's new parent).
//
// The server makes every process's environment (capalloc CAP_ENV), so it is their
// exokernel parent: it gets EV_CHILD whenever one ends, however it ended, and can check
// an environment's state. A process normally ends by calling SRV_EXIT, which destroys its
// environment (the call runs to its end without it); if its environment dies without that
// (a fault inside a fault handler, a program that is not a LibOS program), the server
// finds it dead (proc_reap_dead) and ends the process for it, with the status the
// exokernel recorded.
#include "sproc.h"
#include "../uproc.h"

struct sproc procs[NPROC];
static int nextpid = 1; // where the search for the next pid starts (lo_pid_alloc)
static int initslot = -1;
static int seen_child_events;
// The ends of environments we made that we know of: those we caused (an ENV_DESTROY that
// returned 0 ended a live one) and, as of the last look, every other (proc_reap_dead).
// The kernel counts every end (ENV_INFO's ended on ourselves), each once: while the two
// agree, no environment of ours ended behind our back, and there is nothing to look for.
// Only calls change it (the server's thread reads it).
static volatile long deaths_known;

// ENV_DESTROY of an environment we made, counting the end if it was live. (One that has
// ended already is E_DEAD, its status kept.)
static long env_destroy(int h, long status) {
    long r = env_ctl(h, ENV_DESTROY, (void *)status);
    if (r == 0) __atomic_add_fetch(&deaths_known, 1, __ATOMIC_SEQ_CST);
    return r;
}

// How many environments we made have ended (the kernel's count), or -1.
static long deaths_counted(void) {
    struct exo_envinfo self;
    return env_ctl(EXO_SELF, ENV_INFO, &self) < 0 ? -1 : (long)self.ended;
}

// For the server's thread: whether some environment of ours ended that no call caused,
// so that someone must look for it. Ours first, the kernel's after: a call may end one
// between the two reads, and then the kernel's count is ahead of what we read (a look for
// nothing), never behind it (read the other way, that call's end made up for one no call
// caused, and a parent waited for good for a child no one reaped).
int proc_deaths_unexplained(void) {
    long known = deaths_known;
    return deaths_counted() != known;
}

// The live process whose environment is envid, or -1. Not a child still being built: its
// parent holds its environment until FORK_START takes that back, so a parent that started
// it itself could have had a process act under its own pid while the parent controlled it
// (embryorun).
int proc_by_envid(int envid) {
    for (int i = 0; i < NPROC; i++) {
        struct sproc *p = &procs[i];
        if (p->state == P_LIVE && p->env >= 0 && p->envid == envid) return i;
    }
    return -1;
}

// Tells the process's environment there is news (a child exited, it was killed).
void proc_wake(int slot) {
    struct ipc *ipc = proc_ipc(slot);
    __atomic_add_fetch(&ipc->wake, 1, __ATOMIC_SEQ_CST);
    exosched(EXOSCHED_WAKE, (long)&ipc->wake, 0);
}

// From the server's own thread, beside calls: a hint to every live process that it may
// have news. Reading a slot's state racily is harmless: a parent waiting for a child is
// live and stays so, and a spurious wake-up only makes a waiter ask again. Only woken, not
// bumped: a call may free the slot, and unmap its IPC pages, between any two steps of this
// thread (bumping it crashed the server so). So a waiter that asked before this thread
// counted the death, and has yet to sleep, sleeps through this wake-up: this thread keeps
// waking waiters every tick until a call has reaped the deaths it counted
// (proc_deaths_unreaped), and a tick it waits for keeps an idle machine going.
void proc_wake_waiters(void) {
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state == P_LIVE) exosched(EXOSCHED_WAKE, (long)&proc_ipc(i)->wake, 0);
    }
}

// Whether the server's thread has counted deaths no call has reaped yet (read racily, from
// that thread: a call reaps them at its start).
int proc_deaths_unreaped(void) {
    return srv_child_events != seen_child_events;
}

static long envid_of(int h) {
    struct exo_capinfo ci;
    if (capinfo(h, &ci) < 0) return -1;
    return (long)ci.first;
}

static int env_exited(int h, int *status) {
    struct exo_envinfo info;
    if (env_ctl(h, ENV_INFO, &info) < 0) return 1;
    if (status) *status = info.status;
    return info.state == ENV_STATE_EXITED;
}

// The process's own time in ticks (exo.h's ENV_INFO ticks): those its environment's
// thread ran into, not those it waited for a CPU. The console's grace for a shell is
// counted so: counted in the machine's ticks, a nested shell kept from its CPU on a busy
// machine for a few ticks between reading a line and waiting for its command looked
// deaf, and ^C killed it. 0 for a process without an environment.
long proc_ticks(int slot) {
    struct exo_envinfo info;
    if (procs[slot].env < 0 || env_ctl(procs[slot].env, ENV_INFO, &info) < 0) return 0;
    return (long)info.ticks;
}

// Destroys an environment we made and lets go of it. (Destroying one in the middle of a
// call it made to us is safe: the call goes on; exo.h.) No need to ask first whether it
// ended: that is E_DEAD.
static void env_drop(int h) {
    env_destroy(h, -1);
    capfree(h);
}

// A new environment for slot's process, paid from its quota, holding the handles of
// uproc.h's LH_* (least privilege: each with the rights the LibOS needs, no more), its IPC
// pages mapped: the environment, then its handles in one crossing (exo_batch). Its table
// is new, so each lands at the lowest free handle, which is its LH_* number.
static long env_new(int slot) {
    struct sproc *p = &procs[slot];
    long h = capalloc(CAP_ENV, 0, p->mem, 0);
    if (h < 0) return -1;
    int e = (int)h;
    struct exo_call c[6 + IPC_PAGES];
    int want[6 + IPC_PAGES] = {LH_MEM, LH_CPU, LH_SRV, LH_CONS, LH_CLOCK, LH_TOKEN};
    int from[6] = {p->mem, p->cpu, srv_self, SRV_CONS, SRV_CLOCK, p->token};
    int rights[6] = {CAP_R | CAP_W | CAP_X | CAP_GRANT | CAP_REVOKE, CAP_X, CAP_X, CAP_W, CAP_R, CAP_R};
    int n = 0;
    for (; n < 6; n++) c[n] = (struct exo_call){SYS_capgrant, {from[n], e, rights[n], 0, 0, 0}, 0};
    for (int i = 0; i < IPC_PAGES; i++, n++) {
        c[n] = (struct exo_call){SYS_exo_grantmap, {p->ipc[i], e, CAP_R | CAP_W, IPC_VA + i * PG, MAP_R | MAP_W, 0}, 0};
        want[n] = LH_IPC + i;
    }
    int ok = exo_batch(c, n) == n;
    for (int i = 0; i < n && ok; i++) ok = c[i].ret == want[i];
    if (!ok) {
        env_drop(e);
        return -1;
    }
    return h;
}

// Whether a process keeps a reserve of its quota that its children cannot take: init and
// the shells do, so that however much memory one command (and all it starts) takes, the
// next command can still be started. The name is the program's own claim, but it can only
// make its children poorer.
static int keeps_reserve(int slot) {
    return slot == initslot || lo_strcmp(procs[slot].name, "sh") == 0;
}

// The longest slice a process may run at once, in ticks: xv6's quantum. A longer one would
// keep everyone else on its hart waiting that long (kernel-exo counts a long slice's ticks
// against its share, so it buys no more time, but it would still freeze the shell).
#define PROC_SLICE 1

// What we hold for a new process: its quota and its share of time, derived from its
// parent's (init's from the memory and time of all processes), the quota the parent's own
// less its reserve; its kill token (revoking it sends the process a notice, which ends any
// EXOSCHED_BLOCK); and its IPC pages, made from its quota and mapped here. Three crossings
// besides capinfo (the grants; the pages, which need the new quota; their mappings, which
// need the pages), where there were eight. What a batch did before it stopped is recorded
// in the slot, for proc_free to undo.
static int proc_resources(int slot, int parent) {
    struct sproc *p = &procs[slot];
    int pmem = parent < 0 ? srv_user : procs[parent].mem;
    int pcpu = parent < 0 ? SRV_CPU : procs[parent].cpu;
    struct exo_capinfo ci;
    if (capinfo(pmem, &ci) < 0) return -1;
    long quota = (long)ci.quota;
    if (parent >= 0 && keeps_reserve(parent)) quota -= quota / 4 < SHELL_RESERVE ? quota / 4 : SHELL_RESERVE;
    struct exo_call *c = BUILD->batch;
    int km = batch_add(SYS_capgrant, pmem, EXO_SELF, CAP_ALL, 0, 0);
    c[km].a[5] = quota;
    int kc = batch_add(SYS_capgrant, pcpu, EXO_SELF, CAP_X | CAP_GRANT | CAP_REVOKE, 0, PROC_SLICE);
    int kt = batch_add(SYS_capgrant, srv_token, EXO_SELF, CAP_R | CAP_GRANT | CAP_REVOKE, 0, 0);
    long done = batch_run();
    if (done > km) p->mem = (int)c[km].ret;
    if (done > kc) p->cpu = (int)c[kc].ret;
    if (done > kt) p->token = (int)c[kt].ret;
    if (done != 3) return -1;
    for (int i = 0; i < IPC_PAGES; i++) batch_add(SYS_capalloc, CAP_PAGE, -1, p->mem, 0, 0);
    done = batch_run();
    for (int i = 0; i < done; i++) p->ipc[i] = (int)c[i].ret;
    if (done != IPC_PAGES) return -1;
    for (int i = 0; i < IPC_PAGES; i++)
        batch_add(SYS_exo_map, EXO_SELF, (long)((uint64)proc_ipc(slot) + i * PG), p->ipc[i], MAP_R | MAP_W, 0);
    return batch_run() == IPC_PAGES ? 0 : -1; // (an unmap of one not mapped fails alone, in proc_free)
}

static void proc_free(int slot);

// Gives slot's children to init, which waits for them, before slot goes (exit, or a child
// being built that goes with its builder). A child still being built never ran: it goes
// too. No process may keep a parent slot that is free: the next process to get that slot
// would adopt its children, to wait for them, and to count them as its descendants (^C,
// the interactive shell).
static void proc_orphan(int slot) {
    int wake_init = 0;
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state == P_FREE || procs[i].parent != slot) continue;
        if (procs[i].state == P_EMBRYO) {
            fs_procexit(&procs[i].fs);
            proc_free(i);
            continue;
        }
        procs[i].parent = initslot;
        wake_init |= procs[i].state == P_ZOMBIE;
    }
    if (wake_init && initslot >= 0) proc_wake(initslot);
}

static void proc_free(int slot) {
    struct sproc *p = &procs[slot];
    proc_orphan(slot);
    if (p->acct >= 0) {
        acct_uncharge(p->acct, A_PROC);
        acct_drop(p->acct);
    }
    p->acct = p->fs.acct = -1;
    // Its environments end now (a zombie's ended in proc_exit); our handles on them, and
    // the rest of what we held for it, go after, in one crossing (a release batch: each
    // goes whether or not another could).
    if (p->env >= 0 && p->state != P_ZOMBIE) env_destroy(p->env, -1);
    if (p->next_env >= 0) env_destroy(p->next_env, -1);
    pipe_forget(slot);
    if (p->env >= 0) release_add(SYS_capfree, p->env, 0);
    if (p->next_env >= 0) release_add(SYS_capfree, p->next_env, 0);
    if (p->token >= 0) release_add(SYS_capfree, p->token, 0);
    p->token = -1;
    for (int i = 0; i < IPC_PAGES; i++) {
        if (p->ipc[i] < 0) continue;
        release_add(SYS_exo_unmap, EXO_SELF, (long)((uint64)proc_ipc(slot) + i * PG));
        release_add(SYS_capfree, p->ipc[i], 0);
        p->ipc[i] = -1;
    }
    // Pages it shared with processes still alive (fork's copy-on-write) stay theirs: their
    // capabilities hang from our parent's now. Its quota's charges for them stay too.
    if (p->mem >= 0) release_add(SYS_capfree, p->mem, 0);
    if (p->cpu >= 0) release_add(SYS_capfree, p->cpu, 0);
    release_run();
    p->env = p->next_env = p->mem = p->cpu = -1;
    p->state = P_FREE;
}

// True if a process (a zombie's included) has this pid, or is in a group it names: a
// group outlives its leader, and a new process with the leader's pid would lead the
// orphans left in it (Unix's rule; the xv6 kernel's ProcTable.newPid too).
static int pid_in_use(int pid, void *unused) {
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state != P_FREE && (procs[i].pid == pid || procs[i].pgid == pid)) return 1;
    return 0;
}

// A free slot with a pid, its quota and share of time, its IPC pages made (from its quota)
// and mapped here. -1 if none.
static int proc_alloc(int parent) {
    int slot = -1;
    for (int i = 0; i < NPROC && slot < 0; i++) {
        if (procs[i].state == P_FREE) slot = i;
    }
    if (slot < 0) return -1;
    struct sproc *p = &procs[slot];
    p->env = p->next_env = p->mem = p->cpu = p->token = -1;
    p->exec_ip = 0;
    p->exec_storage = -1;
    p->exec_ticket = 0;
    p->killed = 0;
    p->idle = 0;
    p->xstatus = 0;
    p->parent = parent;
    p->forker = parent >= 0 ? procs[parent].pid : 0;
    p->exe_inum = 0;
    p->name[0] = 0;
    for (int i = 0; i < NPIPE; i++) p->pipevia[i][0] = p->pipevia[i][1] = -1;
    for (int i = 0; i < IPC_PAGES; i++) p->ipc[i] = -1;
    // Its slot is charged to its account, derived from its parent's: a process tree holds
    // no more slots, open files or pipes than its account allows (acct.c).
    p->acct = p->fs.acct = acct_new(parent < 0 ? -1 : procs[parent].acct, parent >= 0 && keeps_reserve(parent));
    if (p->acct >= 0 && acct_charge(p->acct, A_PROC) < 0) {
        acct_drop(p->acct);
        p->acct = p->fs.acct = -1;
    }
    if (p->acct < 0 || proc_resources(slot, parent) < 0) {
        proc_free(slot);
        return -1;
    }
    p->pid = lo_pid_alloc(&nextpid, pid_in_use, 0);
    p->pgid = parent >= 0 ? procs[parent].pgid : p->pid;   // init's is the first group
    p->state = P_EMBRYO;
    return slot;
}

int proc_first(void) {
    // Handles are small integers and 0 is a real one (memory): an unused slot holds none.
    for (int i = 0; i < NPROC; i++) {
        struct sproc *p = &procs[i];
        p->state = P_FREE;
        p->env = p->next_env = p->token = p->mem = p->cpu = p->acct = -1;
        p->fs.acct = -1;
        for (int k = 0; k < IPC_PAGES; k++) p->ipc[k] = -1;
        for (int k = 0; k < NPIPE; k++) p->pipevia[k][0] = p->pipevia[k][1] = -1;
    }
    int slot = proc_alloc(-1);
    if (slot < 0) return -1;
    fs_procinit(&procs[slot].fs);
    procs[slot].fs.acct = procs[slot].acct;
    initslot = slot;
    return slot;
}

int proc_init_pid(void) {
    return initslot >= 0 ? procs[initslot].pid : -1;
}

int proc_mem(int slot) {
    return procs[slot].mem;
}

// ---- fork ----

// A killed process forks no more, as under xv6, which looks at killed before every system
// call. Its LibOS looks too, on the way in, but a call can wait in our queue behind the one
// that kills it (^C's, from a shell): the child that made would start unkilled, outlive its
// parent as init's, and fork on in the group the ^C had just ended (ForkBombTest, killfork).
long proc_fork(int slot, exo_u64 *out) {
    struct sproc *parent = &procs[slot];
    if (parent->killed) return -1;
    int c = proc_alloc(slot);
    if (c < 0) return -1;
    struct sproc *p = &procs[c];
    long h = env_new(c);
    // The parent builds the child through this, until FORK_START takes it back.
    long mine = h < 0 ? -1 : capgrant((int)h, parent->env, CAP_R | CAP_W, 0, 0, 0);
    if (mine < 0) {
        if (h >= 0) env_drop((int)h);
        proc_free(c);
        return -1;
    }
    p->env = (int)h;
    p->envid = (int)envid_of((int)h);
    fs_procfork(&parent->fs, &p->fs);
    p->fs.acct = p->acct;
    if (pipe_map_all(c, p->env) < 0) {
        caprevoke((int)h);      // the parent's capability: it never learns of it
        fs_procexit(&p->fs);
        proc_free(c);
        return -1;
    }
    lo_strlcpy(p->name, parent->name, sizeof p->name);
    out[1] = mine;
    return p->pid;
}

static int child_slot(int slot, int pid) {
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state != P_FREE && procs[i].pid == pid && procs[i].parent == slot) return i;
    }
    return -1;
}

int proc_fork_start(int slot, int pid) {
    int c = child_slot(slot, pid);
    if (c < 0 || procs[c].state != P_EMBRYO) return -1;
    caprevoke(procs[c].env); // the parent's hold on the child's environment: no process controls another
    // Killed while it was built: it ends now, never run, as xv6's child killed before it
    // ran exits at its first trap. The forced kill looks only at processes that run, so one
    // started killed after it last looked ran for good, out of ^C's and kill's reach
    // (ghost killed).
    if (procs[c].killed) {
        proc_exit(c, -1);
        return 0;
    }
    // Live first: on another hart the child may call us the moment it starts.
    procs[c].state = P_LIVE;
    if (env_ctl(procs[c].env, ENV_START, 0) < 0) {
        procs[c].state = P_EMBRYO;
        return -1;
    }
    return 0;
}

// The parent could not finish the child: it never ran the program, so it leaves no zombie.
// Only a child still being built: one that runs ends by exit or kill, as every process
// does (this took a running child out of the table, its children's parent slot with it).
int proc_fork_abort(int slot, int pid) {
    int c = child_slot(slot, pid);
    if (c < 0 || procs[c].state != P_EMBRYO) return -1;
    fs_procexit(&procs[c].fs);
    proc_free(c);
    return 0;
}

// ---- exec ----

int proc_exec_open(int slot, const char *path) {
    struct sproc *p = &procs[slot];
    proc_exec_abort(slot);
    begin_op();
    struct inode *ip = namei(p->fs.cwd, path);
    if (ip != 0) {
        ilock(ip);
        int ok = ip->type == T_FILE;
        iunlock(ip);
        if (!ok) {
            iput(ip);
            ip = 0;
        }
    }
    end_op();
    p->exec_ip = ip;
    p->exec_storage = ip != 0 ? storage_of(ip->inum) : -1;
    if (ip == 0) return -1;
    return p->exec_storage >= 0 ? 1 : 0;
}

long proc_exec_read(int slot, uint64 off, void *dst, long n) {
    struct sproc *p = &procs[slot];
    if (p->exec_ip == 0 || n < 0 || n > IPC_DATA_SIZE || off > 0xffffffffUL) return -1;
    ilock(p->exec_ip);
    int r = readi(p->exec_ip, dst, (uint)off, (uint)n);
    iunlock(p->exec_ip);
    return r;
}

long proc_exec_env(int slot) {
    struct sproc *p = &procs[slot];
    // A program with storage is loaded by us alone: a process could load any code under its name.
    if (p->exec_ip == 0 || p->exec_storage >= 0) return -1;
    if (p->next_env >= 0) env_drop(p->next_env);
    long h = env_new(slot);
    p->next_env = h < 0 ? -1 : (int)h;
    return h;
}

int proc_exec_commit(int slot, const char *name) {
    struct sproc *p = &procs[slot];
    if (p->exec_ip == 0 || p->next_env < 0) return -1;
    int h = p->next_env;
    if (pipe_map_all(slot, h) < 0) return -1;
    caprevoke(h); // the old environment's hold on it
    // Everything changes before the new environment starts: on another hart it may call us
    // the moment it does, and when the server's own thread runs this (starting init), a
    // call may run between any two of its steps. The old environment goes now: it is
    // usually the caller of this very call, which goes on without it (exo.h).
    int old = p->env;
    p->env = h;
    p->envid = (int)envid_of(h);
    p->next_env = -1;
    p->state = P_LIVE;
    p->exe_inum = p->exec_ip->inum;
    begin_op();
    iput(p->exec_ip);
    end_op();
    p->exec_ip = 0;
    p->exec_storage = -1;
    lo_strlcpy(p->name, name, sizeof p->name);
    p->listen_tick = proc_ticks(slot); // (its own time starts again with its new environment)
    if (old >= 0) env_drop(old);
    // If it cannot start, it is dead already (its builder may destroy it), and it ends the
    // process now: proc_reap_dead finds only ends the kernel counted after its last look,
    // and this one may have been counted before, when it was no process's (ghost deadexec).
    if (env_ctl(h, ENV_START, 0) < 0) {
        int status = -1;
        env_exited(h, &status);
        proc_exit(slot, status);
    }
    return 0;
}

static long read_exec(void *ctx, uint64 off, void *dst, long n) {
    return proc_exec_read((int)(long)ctx, off, dst, n);
}

// The client's view of its descriptors, for the uproc of an environment we build.
static void fdinfos(struct sproc *p, struct fdinfo *fd) {
    for (int i = 0; i < LIBOS_NOFILE; i++) {
        lo_memset(&fd[i], 0, sizeof fd[i]);
        struct file *f = i < NOFILE ? p->fs.ofile[i] : 0;
        if (f == 0) continue;
        exo_u64 out[6];
        fd_reply(f, out);
        fd[i].type = (uchar)out[1];
        fd[i].readable = (uchar)(out[1] >> 8);
        fd[i].writable = (uchar)(out[1] >> 16);
        fd[i].major = (short)out[2];
        fd[i].pipe = (short)out[3];
    }
}

// exec as the standard LibOS asks for it (SRV_EXEC): the program at path, built here from
// the file, with the arguments in args. Every program, not only those with storage (which
// no process may load itself: a process could load any code under their names): the
// image is then the file's, whoever's code asked. image.c reads each page of the file from
// the buffer cache straight into the page the program will own (read_exec into the
// builder's window on it): one copy, where a client building its own image took two (the
// file into the IPC page, then the IPC page into the image).
//
// In pieces: a call builds at most EXEC_PIECE pages and says "again", and the caller calls
// again for the next, so the calls of every other process are served between the pieces
// (the exokernel queues callers in order): an image as large as the caller's memory does
// not hold the server for as long as it takes to build. The build area (BUILD, the
// windows on the child's pages) is one: one build at a time, its holder the builder. The
// others queue (EXEC_QUEUED) and ask again each tick; the oldest that still asks goes
// next. A builder loses its build (its next call fails, as exec does) if it is killed,
// makes any other call, or, while another waits, stops coming back: blocked, stopped,
// running EXEC_GRACE ticks of its own since its last piece, or EXEC_PATIENCE ticks of the
// machine. Own time alone was not enough: a builder that yields for ever beside a spinner
// of its own runs, but the ticks fall in the spinner's turns, and its own time stood still
// while another's exec waited for good (execflood drop, LibosAttackTest). So no builder
// holds the area for longer than its own build, however it behaves, and one that stalls
// keeps another's exec waiting EXEC_PATIENCE ticks at most (an honest builder comes back at
// once, so a turn of its within that long keeps its build). On failure nothing is left of
// the attempt.
#define EXEC_PIECE 64
#define EXEC_GRACE 3
#define EXEC_PATIENCE 30
#define ASK_GRACE 3             // ticks a queued builder keeps its place without asking

static int builder = -1;        // the slot whose build holds the area, or -1
static long builder_ticks;      // its own time at the end of its last piece
static long builder_at;         // the machine's tick at the end of its last piece
static int tickets;             // the last place given in the queue
static int queued;              // how many processes hold a place (none: no queue to look at)
static char exec_name[SRV_MAXPATH];

// Whether the holder of the area stopped coming back for its next piece.
static int builder_stalled(void) {
    struct exo_envinfo info;
    struct sproc *b = &procs[builder];
    if (b->env < 0 || env_ctl(b->env, ENV_INFO, &info) < 0) return 1;
    if (info.state == ENV_STATE_BLOCKED && info.waits == ENV_WAITS_CALLEE && info.on == srv_envid) return 0;
    return info.state != ENV_STATE_RUNNABLE || (long)info.ticks - builder_ticks >= EXEC_GRACE
        || exo_ticks(SRV_CLOCK) - builder_at >= EXEC_PATIENCE;
}

// The area is free: the oldest queued builder that still asks hears at once that it is its
// turn (a notice ends its wait).
static void exec_handoff(void) {
    if (queued == 0) return;
    int next = -1;
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state == P_LIVE && procs[i].exec_ticket
            && (next < 0 || procs[i].exec_ticket < procs[next].exec_ticket))
            next = i;
    }
    if (next >= 0) proc_ring(next);
}

static void unqueue(struct sproc *p) {
    if (p->exec_ticket) queued--;
    p->exec_ticket = 0;
}

void proc_exec_drop(int slot) {
    if (builder != slot) return;
    image_release();
    build_release();
    builder = -1;
    exec_handoff();
}

// Whether slot may take the build area now; if not, it is queued (keeping its place).
static int exec_may_build(int slot) {
    struct sproc *p = &procs[slot];
    long now = builder >= 0 || queued > 0 ? exo_ticks(SRV_CLOCK) : 0;
    if (builder >= 0 && builder != slot) {
        if (!builder_stalled()) goto queue;
        proc_exec_abort(builder);   // its next call finds its build gone
    }
    for (int i = 0; i < NPROC && queued > 0; i++) {
        struct sproc *q = &procs[i];
        if (i == slot || q->state != P_LIVE || !q->exec_ticket) continue;
        if (now - q->exec_asked > ASK_GRACE) unqueue(q);   // it stopped asking: its place goes
        else if (!p->exec_ticket || q->exec_ticket < p->exec_ticket) goto queue;
    }
    unqueue(p);
    return 1;
queue:
    if (!p->exec_ticket) {
        p->exec_ticket = ++tickets;
        queued++;
    }
    p->exec_asked = now;
    return 0;
}

// The next piece of slot's build; the commit after the last.
static long exec_piece(int slot, exo_u64 *out) {
    struct sproc *p = &procs[slot];
    int r = image_step(EXEC_PIECE);
    if (r == 0) {
        builder_ticks = proc_ticks(slot);
        builder_at = exo_ticks(SRV_CLOCK);
        out[1] = EXEC_GOING;
        return SRV_AGAIN;
    }
    if (r < 0) {
        builder = -1;   // (image_step let go of what it built)
        exec_handoff();
        proc_exec_abort(slot);
        return -1;
    }
    if (p->exec_storage >= 0) {
        long storage = storage_grant(p->exec_storage, slot, p->next_env);
        CHILD->h_storage = storage < 0 ? -1 : (int)storage;
    }
    fdinfos(p, CHILD->fd);      // its descriptors as they are now
    proc_exec_drop(slot);       // (our side of the build goes; the area is free)
    if (proc_exec_commit(slot, exec_name) < 0) {
        proc_exec_abort(slot);
        return -1;
    }
    return 0;
}

// Opens the program, makes the environment, takes the area and builds the first piece.
static long exec_start(int slot, const char *path, const uchar *args, exo_u64 *out) {
    struct sproc *p = &procs[slot];
    static char strings[IPC_DATA_SIZE];
    static char *argv[LIBOS_MAXARG + 1];
    if (!exec_may_build(slot)) {
        out[1] = EXEC_QUEUED;
        return SRV_AGAIN;
    }
    if (proc_exec_open(slot, path) < 0) return -1;
    const char *name = path; // the process's new name: the path's last element
    for (const char *s = path; *s; s++) {
        if (*s == '/') name = s + 1;
    }
    lo_strlcpy(exec_name, name, sizeof exec_name);
    lo_memmove(strings, args, IPC_DATA_SIZE);   // (the caller may write its page meanwhile)
    int argc = *(int *)strings;
    if (argc < 0 || argc > LIBOS_MAXARG) goto bad;
    uint off = sizeof(int);
    for (int i = 0; i < argc; i++) {
        argv[i] = strings + off;
        while (off < IPC_DATA_SIZE && strings[off] != 0) off++;
        if (off++ >= IPC_DATA_SIZE) goto bad;     // not terminated inside the page
    }
    argv[argc] = 0;
    long env = env_new(slot);
    if (env < 0) goto bad;
    p->next_env = (int)env;
    struct image_src src = {read_exec, (void *)(long)slot};
    // (Its descriptors go in at the end, as they are then.)
    if (image_begin((int)env, p->mem, &process_handles, &src, argv, p->pid, 0, exec_name) < 0) goto bad;
    builder = slot;
    return exec_piece(slot, out);
bad:
    proc_exec_abort(slot);
    return -1;
}

long proc_exec(int slot, int going, const char *path, const uchar *args, exo_u64 *out) {
    struct sproc *p = &procs[slot];
    // A killed process builds no more: it is on its way out (xv6 checks killed at every call).
    if (p->killed) {
        proc_exec_abort(slot);
        return -1;
    }
    if (going) return builder == slot ? exec_piece(slot, out) : -1;
    proc_exec_abort(slot);      // (a build of its own in progress is given up)
    return exec_start(slot, path, args, out);
}

void proc_exec_abort(int slot) {
    struct sproc *p = &procs[slot];
    proc_exec_drop(slot);
    if (p->next_env >= 0) env_drop(p->next_env);
    p->next_env = -1;
    if (p->exec_ip != 0) {
        begin_op();
        iput(p->exec_ip);
        end_op();
        p->exec_ip = 0;
    }
    p->exec_storage = -1;
}

// ---- exit and wait ----

void proc_exit(int slot, int status) {
    struct sproc *p = &procs[slot];
    pipe_release(p->envid);     // a pipe lock it held when it died
    fs_procexit(&p->fs);
    if (slot == initslot) {
        // Nothing can start a process again: every process ends, and so does the server
        // (in the middle of this call: its caller is going anyway). The first environment,
        // which waits for that, ends too, and the machine halts.
        srv_say("fsserver: init exited (status %d): every process ends\n", status);
        log_sync();
        for (int i = 0; i < NPROC; i++) {
            if (procs[i].env >= 0) env_ctl(procs[i].env, ENV_DESTROY, (void *)-1L);
        }
        for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)status);
    }
    proc_exec_abort(slot);
    unqueue(p);
    // Its environment ends here, whoever asked: a process that said it exits and ran on
    // would be a zombie that runs, out of kill's reach (a zombie cannot be killed), with its
    // memory and its pipes, until its parent waited (exitlive). If it is the caller of this
    // call, the call runs to its end without it (exo.h). (One that ended already is E_DEAD
    // and keeps its status.)
    if (p->env >= 0) env_destroy(p->env, status);
    // Orphans go to init; a child still being built (its parent died in the middle of
    // fork) goes with its parent.
    proc_orphan(slot);
    p->xstatus = status;
    p->state = P_ZOMBIE;
    if (p->parent >= 0) proc_wake(p->parent);
}

long proc_wait(int slot, exo_u64 *out) {
    int kids = 0;
    for (int i = 0; i < NPROC; i++) {
        struct sproc *c = &procs[i];
        if (c->state == P_FREE || c->state == P_EMBRYO || c->parent != slot) continue;
        kids = 1;
        if (c->state == P_ZOMBIE) {
            int pid = c->pid;
            out[1] = (exo_u64)(long)c->xstatus;
            proc_free(i);       // its environment goes now, so its memory is free when wait returns
            return pid;
        }
    }
    return kids ? SRV_AGAIN : -1;
}

// Marks the process killed and wakes it wherever it waits: it exits at its next entry into
// the LibOS, or at the end of its time slice. One that does not within KILL_GRACE ticks (it
// turned its upcalls off, say) is destroyed by force (proc_force_kills), wherever it is:
// in the middle of a call to us, too (a call survives its caller). init cannot be killed
// (-1): it must outlive every orphan.
int proc_kill(int pid) {
    if (pid <= 0) return -1;
    for (int i = 0; i < NPROC; i++) {
        struct sproc *p = &procs[i];
        if (p->state == P_FREE || p->pid != pid) continue;
        if (i == initslot) return -1;
        if (!p->killed) p->killed = (int)exo_ticks(SRV_CLOCK) + 1;
        proc_exec_abort(i);     // an exec it was building goes now, the build area with it
        srv_kills_pending = 1;
        struct ipc *ipc = proc_ipc(i);
        ipc->killed = 1;
        // Killed first, then which pipe it waits on, with a full fence between: the LibOS
        // says its pipe, fences, then looks at killed (pipe.c's wait_event), so one of us
        // sees the other's store, and a process on its way to sleep on a pipe cannot miss
        // both the mark and the pipe's wake-up.
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        int pipe = ipc->wait_pipe - 1;
        // Wake it wherever it waits: for a child, a pipe, a line of input or time.
        proc_wake(i);
        if (pipe >= 0 && pipe < NPIPE) pipe_wake(pipe);
        caprevoke(p->token);
        // Our own thread must tick until the process has ended (proc_force_kills); asleep
        // without ticks since before this call, it learns so only if rung (boot.c).
        srv_ring_thread();
        return 0;
    }
    return -1;
}

int proc_ancestor(int a, int slot) {
    int hops = 0;
    for (int q = procs[slot].parent; q >= 0 && hops < NPROC; q = procs[q].parent, hops++) {
        if (q == a) return 1;
    }
    return 0;
}

// Whether slot may put itself or a child in group pgid: not init's, and slot or a live
// child of it is in it.
static int may_join(int slot, int pgid) {
    if (initslot >= 0 && pgid == procs[initslot].pgid) return 0;
    for (int i = 0; i < NPROC; i++) {
        if ((procs[i].state == P_LIVE || procs[i].state == P_EMBRYO) && procs[i].pgid == pgid
            && (i == slot || procs[i].parent == slot))
            return 1;
    }
    return 0;
}

// setpgid, as the xv6 kernel's (xv6j.kernel.ProcTable.setpgid): puts pid (0: the caller),
// the caller or a child of it, in group pgid (0: pid's own), which is pid itself (a new
// group), the one it is in, or one the caller or a live child of the caller is in, never
// init's (the caller's family stands for Unix's session). init stays in its group.
int proc_setpgid(int slot, int pid, int pgid) {
    int t = pid == 0 ? slot : -1;
    for (int i = 0; i < NPROC && t < 0; i++) {
        if ((procs[i].state == P_LIVE || procs[i].state == P_EMBRYO) && procs[i].pid == pid) t = i;
    }
    if (t < 0 || (t != slot && procs[t].parent != slot) || t == initslot || pgid < 0) return -1;
    if (pgid == 0) pgid = procs[t].pid;
    if (pgid != procs[t].pid && pgid != procs[t].pgid && !may_join(slot, pgid)) return -1;
    procs[t].pgid = pgid;
    return 0;
}

// Ends the EXOSCHED_BLOCK slot's process may be in, with nothing else: the revocation of
// its kill token sends it a notice (the LibOS asks again whatever it waited for), and it
// gets a new copy of the token, for the next time. (Without room for the copy, a kill still
// reaches it, by its IPC page and by force.)
void proc_ring(int slot) {
    struct sproc *p = &procs[slot];
    if (p->token < 0 || p->env < 0) return;
    caprevoke(p->token);
    capgrant(p->token, p->env, CAP_R, 0, 0, 0);
}

// Killed processes still running KILL_GRACE ticks after their kill: destroyed now. Checked
// after every call (the server's own thread wakes waiters every tick while kills are
// pending, so calls come).
void proc_force_kills(void) {
    long now = exo_ticks(SRV_CLOCK);
    int pending = 0;
    for (int i = 0; i < NPROC; i++) {
        struct sproc *p = &procs[i];
        if (p->state != P_LIVE || !p->killed) continue;
        if (now - (p->killed - 1) < KILL_GRACE) {
            pending = 1;
            continue;
        }
        if (p->env >= 0) env_destroy(p->env, -1);
        proc_exit(i, -1);
    }
    srv_kills_pending = pending;
}

// Processes whose environment died without telling us: checked when the server's own
// thread has seen an end that no call caused (proc_deaths_unexplained). One look at the
// kernel's count first: an end caused meanwhile needs no look at every process.
void proc_reap_dead(void) {
    int events = srv_child_events;
    if (events == seen_child_events) return;
    seen_child_events = events;
    long counted = deaths_counted();    // (calls come one at a time: no end of ours meanwhile)
    if (counted == deaths_known) return;
    // Every end counted so far is found below (an end after the count is counted again, and
    // looked for at the next event).
    if (counted >= 0) deaths_known = counted;
    for (int i = 0; i < NPROC; i++) {
        int status;
        if (procs[i].state == P_LIVE && env_exited(procs[i].env, &status)) proc_exit(i, status);
    }
}

// A process's name as a person may be shown it: each byte outside printable ASCII as
// \xHH, as the console's monitor shows names (xv6j.machine.Printable). xv6's procdump
// prints the name raw; a name holding ESC sequences could then drive the user's terminal.
// out has room for four bytes per byte of a name, and its NUL.
static void printable_name(char *out, const char *name) {
    static const char hex[] = "0123456789abcdef";
    for (uint i = 0; i < sizeof procs[0].name && name[i]; i++) {
        uchar c = name[i];
        if (c >= 0x20 && c < 0x7f) {
            *out++ = c;
        } else {
            *out++ = '\\';
            *out++ = 'x';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        }
    }
    *out = 0;
}

// ^P: a listing of the processes, as xv6's procdump, with its states: sleep (blocked),
// run (on a hart now), runble (waiting for one), zombie, used (being built, or stopped).
// caller is the process whose call took the ^P in: it reads the console or waits for a
// child, where xv6's would be asleep when the key came, so it is listed as asleep (its
// environment is on a hart, running this call).
void proc_dump(int caller) {
    srv_say("\n");
    for (int i = 0; i < NPROC; i++) {
        struct sproc *p = &procs[i];
        if (p->state == P_FREE) continue;
        const char *st = "used  ";
        struct exo_envinfo info;
        if (p->state == P_ZOMBIE) {
            st = "zombie";
        } else if (i == caller) {
            st = "sleep ";
        } else if (p->state == P_LIVE && env_ctl(p->env, ENV_INFO, &info) >= 0) {
            if (info.state == ENV_STATE_BLOCKED) st = "sleep ";
            else if (info.state == ENV_STATE_RUNNABLE) st = info.cpu >= 0 ? "run   " : "runble";
        }
        char name[4 * sizeof p->name + 1];
        printable_name(name, p->name);
        srv_say("%d %s %s\n", p->pid, st, name);
    }
}
