// The file server: the environment that holds what all processes of the standard LibOS
// share. See user/libos/README.md for why it exists and what it holds.
//
// The boot loader starts /init as the first environment, whose LibOS (boot.c) sees that
// it is first: it mounts the file system, loads /init again into a new environment as the
// server (pid 0) with the boot capabilities, and exits. The server then starts /init once
// more, as an ordinary process with pid 1. Calls arrive by protected control transfer
// (serve.c) and are served one at a time, to completion: nothing in the server ever waits
// for anything but the disk, and none needs a lock. No call may hold up the others for
// long: where a process must wait (for a child to exit, for a line of input) the server
// says "again" and the process waits in its own environment until the server, or the
// exokernel, wakes it; and where its work grows with what it asks (exec's image, as
// large as its memory), the server does a bounded piece of it and says "again", and the
// process calls for the next (proc.c).
//
// The server's own thread of control only counts environments' deaths (an atomic
// increment): a call may run while it does.
#pragma once

#include "exo.h"
#include "../layout.h"
#include "../srvproto.h"
#include "../lib/lib.h"
#include "../build.h"

// Memory the server keeps for itself (pages), which no process can take: its pipes, its
// records of every process's capabilities. And what init and each shell keep from their
// children (at most a quarter of their quota): enough to start the next command however
// much the last one took (proc.c).
#define SRV_RESERVE 512
#define SHELL_RESERVE 256

// The server's capabilities (boot.c, disk.c).
extern int srv_self;        // a CAP_ENV naming the server, with CAP_X: clients call through it
extern int srv_envid;       // the server's environment id
extern int srv_user;        // memory for all processes: the server's, less SRV_RESERVE
extern int srv_extra;       // the blocks after the file system, which /storage deals out (-1: none)
extern int srv_token;       // a page no one maps: each process's kill token derives from it
extern volatile int srv_child_events;   // environments the server made that have ended
extern volatile int srv_kills_pending;  // a killed process has not ended yet (proc.c)
void srv_ring_thread(void);             // from a call: the server's own thread looks again (boot.c)

#define SRV_MEM EXO_BOOT_MEMORY
#define SRV_CONS EXO_BOOT_CONSOLE
#define SRV_CLOCK EXO_BOOT_CLOCK
#define SRV_CPU EXO_BOOT_CPU

// A page from the server's memory mapped at va (R|W). Returns its handle, or an error.
long srv_page(uint64 va);
// The same from memory capability mem (mem.c, the LibOS's own).
long page_from(int mem, uint64 va);
void srv_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void srv_halt(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

// disk.c: mounts the file system (recovering its log) through the whole disk, then, if
// carve, keeps only the file system's range and kv's. 0, or -1 with *why set.
int srv_disk_init(int carve, const char **why);
// disk.c: a file of the mounted file system, for the boot environment to load the server.
int srv_file_open(const char *path);
long srv_file_read(void *ctx, uint64 off, void *dst, long n);

// proc.c: the process table, as far as boot.c needs it.
int proc_first(void);                       // slot of pid 1, its cwd the root; -1 if none
int proc_mem(int slot);                     // the process's memory, which pays for its pages
int proc_exec_open(int slot, const char *path);
long proc_exec_read(int slot, uint64 off, void *dst, long n);
long proc_exec_env(int slot);               // the server's handle on the new environment
int proc_exec_commit(int slot, const char *name);
long proc_exec(int slot, int going, const char *path, const uchar *args, exo_u64 *out);
void proc_exec_drop(int slot);              // slot's exec in pieces, if any, is given up
void proc_exec_abort(int slot);

// storage.c: disk storage for programs of other LibOSes, as /storage configures it.
void storage_init(void);
int storage_of(unsigned int inum);          // the program's entry, or -1
long storage_grant(int entry, int slot, int env);   // its range, R|W, into env, slot's new environment;
                                                    // -1 while another process holds it

// serve.c: the entry point of protected control transfers.
void srv_entry(void);
