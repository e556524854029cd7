// The server's entry: every protected control transfer from a process lands here, on the
// server's call stack, with the caller's environment id in a0 and its six arguments in
// a1..a6. The caller is named by its environment id, which the exokernel vouches for:
// a process cannot pass for another. Paths and data come from the caller's IPC pages,
// which only it and the server map; everything in them is checked before use.
//
// Every reply comes after log_sync: what a call changed on the disk is committed before
// the caller learns of it.
#include "sproc.h"
#include "../uproc.h"

void srv_dispatch(long envid, long op, long a1, long a2, long a3, long a4, long a5, exo_u64 *out);

__asm__(".section .text.srv_entry,\"ax\",@progbits\n"
        ".globl srv_entry\n"
        "srv_entry:\n"
        "  addi sp, sp, -64\n"
        "  mv a7, sp\n"                 // out[6], on this stack
        "  call srv_dispatch\n"
        "  mv a0, sp\n"
        "  call pct_return\n"
        "1: j 1b\n");

// The client's view of a descriptor (struct fdinfo), in out[1..3].
void fd_reply(struct file *f, exo_u64 *out) {
    int type = f->type == F_PIPE ? FD_PIPE : f->type == F_DEVICE ? FD_DEVICE : FD_INODE;
    out[1] = (exo_u64)type | (exo_u64)(f->readable != 0) << 8 | (exo_u64)(f->writable != 0) << 16;
    out[2] = (exo_u64)f->major;
    out[3] = (exo_u64)f->pipe;
}

// A path from the caller's IPC page, NUL-terminated here whatever the caller left there.
static char *path_arg(int slot, int i, char *buf) {
    struct ipc *ipc = proc_ipc(slot);
    for (int k = 0; k < SRV_MAXPATH; k++) buf[k] = ipc->path[i][k];
    buf[SRV_MAXPATH - 1] = 0;
    return buf;
}

// The end of a console read or a wait that returned r: the process still waits (kind) if
// told "again", and it listened now, as a shell does (cons.c tells shells by it).
static long listened(struct sproc *p, int kind, long r) {
    p->idle = r == SRV_AGAIN ? kind : 0;
    p->listen_tick = proc_ticks((int)(p - procs));
    return r;
}

static long serve(int slot, long op, long a1, long a2, long a3, exo_u64 *out) {
    struct sproc *p = &procs[slot];
    struct ipc *ipc = proc_ipc(slot);
    uchar *data = proc_data(slot);
    char path[SRV_MAXPATH], path2[SRV_MAXPATH];
    // An exec being built in pieces is the builder's only business: any other call gives it
    // up, and the build area goes to the next (proc.c).
    if (op != SRV_EXEC) proc_exec_drop(slot);
    switch (op) {
    case SRV_FORK: return proc_fork(slot, out);
    case SRV_FORK_START: return proc_fork_start(slot, (int)a1);
    case SRV_FORK_ABORT: return proc_fork_abort(slot, (int)a1);
    case SRV_EXEC_OPEN: return proc_exec_open(slot, path_arg(slot, 0, path));
    case SRV_EXEC_READ: return proc_exec_read(slot, (uint64)a1, data, a2);
    case SRV_EXEC_ENV: {
        long h = proc_exec_env(slot);
        // We build it through this, until EXEC_COMMIT takes it back.
        long mine = h < 0 ? -1 : capgrant((int)h, p->env, CAP_R | CAP_W, 0, 0, 0);
        if (mine < 0) return -1;
        out[1] = mine;
        return 0;
    }
    case SRV_EXEC_COMMIT: return proc_exec_commit(slot, path_arg(slot, 0, path));
    case SRV_EXEC_ABORT: proc_exec_abort(slot); return 0;
    case SRV_EXEC: return proc_exec(slot, a1 != 0, path_arg(slot, 0, path), data, out);
    case SRV_EXIT: proc_exit(slot, (int)a1); return 0;
    case SRV_WAIT: {
        // A shell waiting for its command takes in the keys typed meanwhile: ^C among them.
        // Any shell on the stack does, so that ^C is heard when the one above it is a
        // program that claimed the console and stopped listening (cons.c).
        p->idle = IDLE_WAIT;
        if (cons_on_stack(slot)) cons_poll(slot);
        return listened(p, IDLE_WAIT, proc_wait(slot, out));
    }
    case SRV_KILL: return proc_kill((int)a1);

    case SRV_OPEN: {
        int fd = fs_open(&p->fs, path_arg(slot, 0, path), (int)a1);
        if (fd >= 0) fd_reply(p->fs.ofile[fd], out);
        return fd;
    }
    case SRV_CLOSE: {
        struct file *f = fdfile(&p->fs, (int)a1);
        if (f == 0) return -1;
        int pipe = f->type == F_PIPE ? f->pipe : -1;
        fs_close(&p->fs, (int)a1);
        if (pipe >= 0) pipe_ends_changed(slot, pipe);
        return 0;
    }
    case SRV_DUP: return fs_dup(&p->fs, (int)a1);
    case SRV_READ:
        if (a2 < 0 || a2 > IPC_DATA_SIZE) return -1;
        return fs_read(&p->fs, (int)a1, data, (int)a2);
    case SRV_WRITE:
        if (a2 < 0 || a2 > IPC_DATA_SIZE) return -1;
        return fs_write(&p->fs, (int)a1, data, (int)a2);
    case SRV_FSTAT: {
        struct stat st;
        if (fs_fstat(&p->fs, (int)a1, &st) < 0) return -1;
        lo_memmove(ipc->st, &st, sizeof st);
        return 0;
    }
    case SRV_PIPE: return pipe_create(slot, out);
    case SRV_LINK: return fs_link(&p->fs, path_arg(slot, 0, path), path_arg(slot, 1, path2));
    case SRV_UNLINK: return fs_unlink(&p->fs, path_arg(slot, 0, path));
    case SRV_MKDIR: return fs_mkdir(&p->fs, path_arg(slot, 0, path));
    case SRV_MKNOD: return fs_mknod(&p->fs, path_arg(slot, 0, path), (short)a1, (short)a2);
    case SRV_CHDIR: return fs_chdir(&p->fs, path_arg(slot, 0, path));
    case SRV_CONSREAD:
        p->idle = IDLE_READ;
        return listened(p, IDLE_READ, cons_read(slot, (int)a1, (int)a2));
    case SRV_INTERACTIVE: {
        long r = cons_interactive(slot);
        if (r == 0) p->listen_tick = proc_ticks(slot);
        return r;
    }
    case SRV_SETPGID: return proc_setpgid(slot, (int)a1, (int)a2);
    case SRV_GETPGRP: return p->pgid;
    default: return -1;
    }
}

void srv_dispatch(long envid, long op, long a1, long a2, long a3, long a4, long a5, exo_u64 *out) {
    for (int i = 0; i < 6; i++) out[i] = 0;
    proc_reap_dead();
    int slot = proc_by_envid((int)envid);
    if (slot >= 0) procs[slot].idle = 0;
    out[0] = slot < 0 ? (exo_u64)-1L : (exo_u64)serve(slot, op, a1, a2, a3, out);
    if (srv_kills_pending) proc_force_kills();
    log_sync();
}
