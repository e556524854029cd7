// The whole interface a user program sees: types, the kernel's limits and structures,
// the 22 system calls and the small C library (ulib.c, printf.c, umalloc.c).
// `#include "user.h"` is all a program needs. The system calls are ecall stubs
// (usys.S) on the xv6 kernel and LibOS functions on the exokernel; programs can
// not tell the difference, which is why nothing outside usys.S may ecall.
#pragma once

// ---- Types ------------------------------------------------------------------------
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long uint64;
typedef long int64;

#define NULL ((void *)0)

// Variable arguments, from the compiler (there is no libc to bring stdarg.h).
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)

// ---- Limits of the kernel (xv6-riscv's param.h and fs.h) ---------------------------
#define NPROC 64        // processes, init and the shell included
#define NOFILE 16       // open files per process
#define MAXARG 32       // exec arguments
#define MAXPATH 128     // bytes of a path, its NUL included
#define DIRSIZ 14       // bytes of a name in a directory entry
#define BSIZE 1024      // file-system block size
#define NDIRECT 12
#define NINDIRECT (BSIZE / 4)   // block numbers in the indirect block
#define MAXFILE (NDIRECT + NINDIRECT)   // largest file, in blocks
#define MAXOPBLOCKS 10  // blocks one file-system operation may write
#define LOGSIZE (MAXOPBLOCKS * 3)
#define FSSIZE 2000     // blocks in the file system image
#define PGSIZE 4096
#define MAXVA (1L << 38)    // one past the highest Sv39 user address
#define TICKS_PER_SECOND 10

// ---- open() flags (xv6's fcntl.h) ----------------------------------------------------
#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR 0x002
#define O_CREATE 0x200
#define O_TRUNC 0x400

// ---- Files (xv6's stat.h and fs.h) -----------------------------------------------------
#define T_DIR 1     // directory
#define T_FILE 2    // regular file
#define T_DEVICE 3  // device node

#define CONSOLE 1   // the console's major device number

struct stat {
    int dev;        // device of the file system
    uint ino;       // inode number
    short type;     // T_DIR, T_FILE or T_DEVICE
    short nlink;    // links to the file
    uint64 size;    // bytes
};

// One directory entry; inum 0 marks a free slot. name is NUL-padded, and not
// NUL-terminated when it is DIRSIZ bytes long.
struct dirent {
    ushort inum;
    char name[DIRSIZ];
};

// ---- System calls ------------------------------------------------------------------
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);          // status may be 0
int pipe(int *fds);             // fds[0] reads, fds[1] writes
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int flags);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *oldpath, const char *newpath);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sbrk(int n);              // returns the old break, or (char *)-1
char *sbrklazy(int n);          // as sbrk, but pages get memory when first touched (and a
                                // touch with none left kills the process)
int sleep(int ticks);
int uptime(void);               // ticks since boot
int interactive(void);          // the caller reads commands from the console (the shell): from
                                // now on ^C there kills what it waits for (its descendants),
                                // never itself, and at its prompt ends the line being typed.
                                // -1 unless init forked the caller, it is an interactive shell
                                // already, or it descends from the one now (a shell started
                                // from it); a background command cannot take ^C
int setpgid(int pid, int pgid); // puts pid (0: the caller; else a child of it) in group pgid
                                // (0: pid's own, a new group; else one a live process is in):
                                // ^C kills the interactive shell's group, so the shell puts
                                // a background command in one of its own. 0, or -1
int getpgrp(void);              // the caller's process group: its forker's, unless it moved

// ---- ulib.c ------------------------------------------------------------------------
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, uint n);
uint strlen(const char *s);
char *strchr(const char *s, char c);
void *memset(void *dst, int c, uint n);
void *memmove(void *dst, const void *src, int n);
void *memcpy(void *dst, const void *src, uint n);
int memcmp(const void *a, const void *b, uint n);
int atoi(const char *s);
int isnum(const char *s);
char *gets(char *buf, int max);

// ---- printf.c ----------------------------------------------------------------------
// %d %u %x %p %s %c %%, with l for long (%ld %lu %lx; xv6's %l alone means %ld).
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vfprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

// ---- umalloc.c ---------------------------------------------------------------------
void *malloc(uint n);
void free(void *p);
