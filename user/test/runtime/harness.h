// What a program run by the machine's test harness can call.
#pragma once

#define SYS_write 64
#define SYS_exit 93

long write(int fd, const void *buf, long n);
void exit(int code) __attribute__((noreturn));
void *memset(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
unsigned long strlen(const char *s);
void puts(const char *s);
void putdec(long v);
void puthex(unsigned long v);

// CHECK(cond): count and report a failure, keep going. A test's main returns
// check_failures(), so its exit code is the number of failed checks.
void check(int ok, const char *what, long line);
int check_failures(void);
#define CHECK(c) check((c) != 0, #c, __LINE__)
// EXPECT(got, want): the same for two 64-bit values, printing both in hex on a failure.
void expect(unsigned long got, unsigned long want, const char *what, long line);
#define EXPECT(got, want) expect((got), (want), #got, __LINE__)
