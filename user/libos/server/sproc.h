// The file server's process table. A process is a pid with a parent, an exit status, a
// killed flag, its file-system state (current directory and descriptors), its IPC pages,
// and the environment that runs it — which changes at every exec.
#pragma once

#include "server.h"
#include "../fs/fs.h"

#define NPROC 64

#define P_FREE 0
#define P_EMBRYO 1      // fork has made it; its parent is still building its environment
#define P_LIVE 2
#define P_ZOMBIE 3      // exited; its parent has not yet waited for it

struct sproc {
    int state;
    int pid;
    int parent;             // slot of the parent; -1 for init
    int forker;             // pid of the process that forked it (0 for init): unlike parent, never changes
    int pgid;               // its process group: its forker's at fork, until setpgid moves it (cons.c's ^C)
    int xstatus;
    int killed;             // 0, or the tick it was killed at + 1
    int mem;                // ours: the process's memory, with its quota; it pays for its environments
    int cpu;                // ours: the process's share of time
    int env;                // the server's CAP_ENV on the process's environment, or -1
    int envid;
    int next_env;           // exec: the environment being built, or -1
    struct inode *exec_ip;  // exec: the program being loaded, or 0
    int exec_storage;       // exec: its entry in /storage (the server loads it), or -1
    int exec_ticket;        // exec: its place in the queue for the build area (0: none)
    long exec_asked;        // exec: the tick it last asked for the build area at, while queued
    uint exe_inum;          // the inode of the program it runs
    int ipc[IPC_PAGES];     // the server's handles on the IPC pages (-1: none)
    int token;              // ours, derived from srv_token; the process holds one from it
    int pipevia[NPIPE][2];  // per pipe and page: ours, derived for this process's mappings of it (-1)
    uchar pipeends[NPIPE];  // per pipe: the ends it held when they were mapped (END_READ | END_WRITE)
    char name[16];
    int acct;               // its account of the server's tables (acct.c), or -1
    int idle;               // what its last call left it waiting for: 0, IDLE_READ or IDLE_WAIT
    long listen_tick;       // its own time (proc_ticks) when it last claimed the console, read it or waited (cons.c)
    struct fsproc fs;       // fs.acct: the same, once the slot is set up, for the files it opens
};

extern struct sproc procs[NPROC];

static inline struct ipc *proc_ipc(int slot) {
    return (struct ipc *)(SRV_IPC + (uint64)slot * IPC_PAGES * PG);
}

static inline uchar *proc_data(int slot) {
    return (uchar *)(SRV_IPC + (uint64)slot * IPC_PAGES * PG + PG);
}

int proc_by_envid(int envid);
long proc_ticks(int slot);              // its own time: the ticks it ran into
int proc_init_pid(void);                // init's pid (1)
void proc_wake(int slot);
void proc_wake_waiters(void);
int proc_deaths_unreaped(void);
void proc_reap_dead(void);
long proc_fork(int slot, exo_u64 *out);
int proc_fork_start(int slot, int pid);
int proc_fork_abort(int slot, int pid);
void proc_exit(int slot, int status);
long proc_wait(int slot, exo_u64 *out);
int proc_kill(int pid);
int proc_setpgid(int slot, int pid, int pgid);
int proc_ancestor(int a, int slot);     // a is one of slot's ancestors (by the parents of now)
void proc_ring(int slot);               // ends the block slot's process waits in (a notice)
void proc_dump(int caller);
void proc_force_kills(void);
#define KILL_GRACE 5            // ticks a killed process has to exit by itself

// acct.c: what each process tree may hold of the server's tables.
#define A_PROC 0        // process slots
#define A_FILE 1        // open files
#define A_PIPE 2        // pipes
#define A_NRES 3
// What init and the shells keep from their children (at most a quarter of their limit):
// enough for the next command, a pipeline of two included.
#define ACCT_RESERVE_PROCS 4
#define ACCT_RESERVE_FILES 6
#define ACCT_RESERVE_PIPES 2
// A new account derived from parent's (-1: all of the tables), less the reserve if
// keep_reserve; -1 if none is free (never: acct.c says why).
int acct_new(int parent, int keep_reserve);
int acct_charge(int a, int res);        // 0, or -1 if a or one it derives from is at its limit
void acct_uncharge(int a, int res);
void acct_drop(int a);                  // its process is gone

// pipe.c
int pipe_create(int slot, exo_u64 *out);
void pipe_forget(int slot);     // the slot is being freed: let go of its pipe capabilities
// Maps every pipe slot's process holds into env (at fork and exec). 0, or -1.
int pipe_map_all(int slot, int env);
void pipe_ends_changed(int slot, int pipe); // it closed a descriptor of the pipe
void pipe_wake(int pipe);
void pipe_release(int envid);   // lets go of the pipe locks a dead environment held

// cons.c
long cons_read(int slot, int fd, int n);
void cons_poll(int caller);             // takes in the keys typed so far (echo, ^C, ^P), in caller's call
int cons_interactive(int slot);         // slot's process is the console's interactive shell (0), or may not be (-1)
int cons_on_stack(int slot);            // slot's process is one of the interactive shells
void cons_keys_typed(void);             // the server's thread: keys were typed (EV_KEY); wakes the shells
int cons_keys_untaken(void);            // the server's thread: no call has taken in keys it heard of
#define IDLE_READ 1                     // sproc.idle: reading the console, no line yet
#define IDLE_WAIT 2                     // sproc.idle: waiting for a child, none ended yet
#define LISTEN_GRACE 3                  // ticks a shell may be busy between reading and waiting

// The client's view of a descriptor, in a reply: out[1..3].
void fd_reply(struct file *f, exo_u64 *out);
