// The LibOS's pure helpers: code that touches no capability and makes no system call,
// used by the client LibOS, the file server and the second LibOS alike, and unit-tested
// on the machine's test harness (user/libos/test). Names carry a lo_ prefix so they meet
// neither ulib's nor the harness runtime's.
#pragma once

#include "types.h"

typedef __builtin_va_list lo_va_list;
#define lo_va_start(ap, last) __builtin_va_start(ap, last)
#define lo_va_arg(ap, type) __builtin_va_arg(ap, type)
#define lo_va_end(ap) __builtin_va_end(ap)

// ---- strings and memory (string.c) ----
void *lo_memmove(void *dst, const void *src, uint64 n);
void *lo_memset(void *dst, int c, uint64 n);
int lo_memcmp(const void *a, const void *b, uint64 n);
// The index of the first nonzero entry of a[j..n), or n: how a mostly empty table is walked.
int lo_next_nonzero(const volatile uint *a, int j, int n);
uint64 lo_strlen(const char *s);
int lo_strcmp(const char *a, const char *b);
// Copies at most n-1 bytes of src and a NUL into dst (n > 0). Returns dst.
char *lo_strlcpy(char *dst, const char *src, uint64 n);

// ---- formatting (fmt.c) ----
// printf-style into buf (always NUL-terminated); %d %u %x %s %c %p %%, with l for long.
// Returns the length written.
int lo_vsnprintf(char *buf, int size, const char *fmt, lo_va_list ap);
int lo_snprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// ---- process ids (pid.c) ----
#define LO_PID_MAX 0x7fffffff
// The pid for a new process: *next, or the first after it for which in_use(pid, arg) is
// false, going from LO_PID_MAX round to 1; *next moves past it. Terminates while fewer
// than LO_PID_MAX pids are in use. (A plain count went negative after 2^31 forks.)
int lo_pid_alloc(int *next, int (*in_use)(int pid, void *arg), void *arg);
