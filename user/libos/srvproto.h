// The protocol between a LibOS process and the file server (user/libos/server), over
// protected control transfer: pct_call(server, args, out) runs the server's entry on
// the caller's CPU and returns its results, six registers each way. args[0] is the
// operation, args[1..5] its integer arguments; out[0] is the result (as the xv6 system
// call returns it), out[1..5] further results.
//
// Bulk data travels through the caller's IPC window: two pages at IPC_VA that the server
// allocated when it made the process, mapped in the process and in the server, and
// never anywhere else. Page 0 (struct ipc) holds paths and small results; page 1 holds
// the data of read and write. The server treats both as untrusted: it bounds every length
// and terminates every string itself.
#pragma once

#include "lib/types.h"
#include "layout.h"

#define SRV_MAXPATH 128
#define IPC_DATA_SIZE 4096
#define SRV_AGAIN (-2)      // out[0] of WAIT and CONSREAD: nothing yet, block and ask again
#define EXEC_GOING 0        // out[1] of SRV_EXEC's SRV_AGAIN: a piece is built, ask for the next at once
#define EXEC_QUEUED 1       // ... another process's build goes first: ask again after a tick

enum srv_op {
    // processes
    SRV_FORK = 1,       // -> out[0] child pid or -1, out[1] CAP_ENV handle (R|W|GRANT) in the caller's table
    SRV_FORK_START,     // a1 = child pid: the child is complete; start it
    SRV_FORK_ABORT,     // a1 = child pid: undo SRV_FORK (only while the child is being built, not started)
    SRV_EXEC,           // a1 = 0, path[0] = the program; data = argc (int), then the argument
                        //     strings one after another, each ending in NUL: the server opens the
                        //     program, builds the new environment from the file (giving it the
                        //     program's storage, if any) and commits, as SRV_EXEC_COMMIT -> -1, or
                        //     no return. Built in pieces, other calls served between them:
                        //     SRV_AGAIN with out[1] = EXEC_GOING: call again with a1 = 1 (and no
                        //     other call meanwhile, which gives the build up) for the next piece;
                        //     with out[1] = EXEC_QUEUED: another's build holds the server's build
                        //     area; wait a tick (or for a notice: it is your turn) and ask again
                        //     with a1 = 0
    // exec by hand, the new environment built by the caller (not for programs with storage)
    SRV_EXEC_OPEN,      // path[0]: opens the program file for exec -> 0, or 1 if it has disk
                        //     storage (SRV_EXEC_ENV then refuses: only SRV_EXEC loads it), or -1
    SRV_EXEC_READ,      // a1 = offset, a2 = n: reads the program file into data -> bytes
    SRV_EXEC_ENV,       // -> out[0] 0 or -1, out[1] CAP_ENV handle of the new environment
    SRV_EXEC_COMMIT,    // path[0] = program name: the new environment becomes the process and starts
    SRV_EXEC_ABORT,     // undo SRV_EXEC_OPEN and SRV_EXEC_ENV
    SRV_EXIT,           // a1 = status: the caller's environment ends, in this call
    SRV_WAIT,           // -> out[0] pid, -1 (no children) or SRV_AGAIN; out[1] status
    SRV_KILL,           // a1 = pid
    // files
    SRV_OPEN,           // path[0], a1 = flags -> fd; out[1..3] = struct fdinfo fields
    SRV_CLOSE,          // a1 = fd
    SRV_DUP,            // a1 = fd -> fd
    SRV_READ,           // a1 = fd, a2 = n <= IPC_DATA_SIZE -> bytes, in data
    SRV_WRITE,          // a1 = fd, a2 = n <= IPC_DATA_SIZE, data -> bytes
    SRV_FSTAT,          // a1 = fd -> 0 or -1, stat in ipc->st
    SRV_PIPE,           // -> 0 or -1; out[1] = read fd, out[2] = write fd, out[3] = pipe index
    SRV_LINK,           // path[0] -> path[1]
    SRV_UNLINK,         // path[0]
    SRV_MKDIR,          // path[0]
    SRV_MKNOD,          // path[0], a1 = major, a2 = minor
    SRV_CHDIR,          // path[0]
    SRV_CONSREAD,       // a1 = fd, a2 = n: one line (at most n bytes) of console input, in data -> bytes or SRV_AGAIN
    SRV_INTERACTIVE,    // the caller reads commands from the console: ^C kills what it waits for
    SRV_SETPGID,        // a1 = pid (0: the caller), a2 = pgid (0: pid's own) -> 0 or -1
    SRV_GETPGRP,        // -> the caller's process group
    SRV_NOPS
};

// An fdinfo travels as out[1] = type | readable << 8 | writable << 16, out[2] = major, out[3] = pipe.

struct ipc {
    volatile int killed;        // server -> client: this process has been killed
    volatile int wake;          // futex word: bumped and woken by the server when a child
                                // exits or the process is killed (a process blocked in
                                // EXOSCHED_BLOCK learns of a kill from a revocation notice:
                                // the server revokes the token it gave the process)
    volatile int wait_pipe;     // client -> server: 1 + the pipe this process waits on, or 0,
                                // so that kill can wake it; set before the client's last
                                // look at killed, read after kill sets it (pipe.c)
    volatile int asleep;        // client -> server: in a wait no shell makes (sleep, a pipe),
                                // until it returns, awake or not (cons.c's ^C; it can only
                                // make the process itself killable)
    char path[2][SRV_MAXPATH];  // client -> server
    uchar st[24];               // server -> client: a struct stat, xv6's layout
};

#define IPC ((struct ipc *)IPC_VA)
#define IPC_DATA ((uchar *)(IPC_VA + PG))

_Static_assert(sizeof(struct ipc) <= PG, "struct ipc must fit its page");
