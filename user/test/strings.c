// Byte, halfword and misaligned memory traffic: the runtime's mem* and str* functions,
// unaligned structure fields and a byte-reversal loop.
#include "runtime/harness.h"

struct __attribute__((packed)) rec { char tag; long value; short s; int i; };

static char buf[300];
static char copy[300];

int main(void) {
    puts("strings: memset/memcpy/memmove/strlen, packed (misaligned) fields\n");
    memset(buf, 'a', sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    CHECK(strlen(buf) == sizeof buf - 1);
    for (int i = 0; i < 26; i++) buf[i] = (char)('a' + i);
    memcpy(copy, buf, sizeof buf);
    CHECK(copy[25] == 'z' && copy[26] == 'a' && copy[298] == 'a' && copy[299] == 0);
    memmove(buf + 1, buf, 26);      // overlapping, forwards
    CHECK(buf[1] == 'a' && buf[26] == 'z');
    memmove(buf, buf + 1, 26);      // overlapping, backwards
    CHECK(buf[0] == 'a' && buf[25] == 'z');
    for (int i = 0, j = 25; i < j; i++, j--) { char t = buf[i]; buf[i] = buf[j]; buf[j] = t; }
    CHECK(buf[0] == 'z' && buf[25] == 'a');
    static struct rec recs[4];
    for (int i = 0; i < 4; i++) {
        recs[i].tag = (char)i;
        recs[i].value = 0x0102030405060708L * (i + 1);
        recs[i].s = (short)(-1 - i);
        recs[i].i = -100000 * i;
    }
    long sum = 0;
    for (int i = 0; i < 4; i++) sum += recs[i].value + recs[i].s + recs[i].i + recs[i].tag;
    CHECK(sum == 0x0102030405060708L * 10 - 10 - 600000 + 6);
    volatile unsigned char *p = (unsigned char *)&recs[1].value;
    CHECK(p[0] == 0x10 && p[7] == 0x02);    // little-endian bytes of 2 * 0x0102030405060708
    return check_failures();
}
