// The pipe ring of user/libos/lib/pipering.c: capacity, wrap-around, end of file, a
// closed read end, a copy that faults, and indexes a hostile holder of the other end
// wrote.
#include "test/runtime/harness.h"
#include "libos/lib/pipering.h"
#include "libos/lib/lib.h"

void pipe_lock_spin(void) {}

static long copy(void *dst, const void *src, uint64 n) {
    lo_memmove(dst, src, n);
    return 0;
}

static long copy_fails(void *dst, const void *src, uint64 n) {
    return -1;
}

static struct pipewpage wp;
static struct piperpage rp;
static struct pipe p = {&wp, &rp};
static uchar in[3000], out[3000];

int main(void) {
    wp.s.otheropen = rp.s.otheropen = 1;
    for (int i = 0; i < 3000; i++) in[i] = (uchar)(i * 31 + (i >> 7));

    pipe_lock(&wp.s, 7);
    CHECK(wp.s.lock == 7 && rp.s.lock == 0);                    // each end its own lock
    CHECK(pipe_get(p, out, 10, copy) == PIPE_WAIT);           // empty, a writer left
    int ev = wp.s.event, rev = rp.s.event;
    CHECK(pipe_put(p, in, 700, copy) == 512);                 // room for 512
    CHECK(wp.s.event != ev && rp.s.event == rev);               // the writers' event moved
    CHECK(pipe_put(p, in + 512, 10, copy) == PIPE_WAIT);      // full
    CHECK(pipe_get(p, out, 100, copy) == 100);
    CHECK(rp.s.event != rev);                                  // the readers' event moved
    CHECK(pipe_put(p, in + 512, 300, copy) == 100);
    pipe_unlock(&wp.s);
    CHECK(wp.s.lock == 0);

    // Everything comes out in order across the wrap.
    int got = 100;
    while (got < 612) {
        int r = pipe_get(p, out + got, 77, copy);
        CHECK(r > 0);
        if (r <= 0) break;
        got += r;
    }
    CHECK(lo_memcmp(in, out, 612) == 0);

    // Many small transfers through the ring, then end of file.
    int sent = 612, recv = 612;
    while (recv < 3000) {
        if (sent < 3000) {
            int r = pipe_put(p, in + sent, 3000 - sent < 333 ? 3000 - sent : 333, copy);
            if (r > 0) sent += r;
        }
        int r = pipe_get(p, out + recv, 211, copy);
        if (r > 0) recv += r;
    }
    CHECK(lo_memcmp(in, out, 3000) == 0);
    rp.s.otheropen = 0;                                        // no writer left
    CHECK(pipe_get(p, out, 10, copy) == 0);

    // A bad buffer moves nothing; a closed read end refuses writes.
    rp.s.otheropen = 1;
    CHECK(pipe_put(p, in, 10, copy_fails) == PIPE_FAULT);
    CHECK(pipe_put(p, in, 10, copy) == 10);
    CHECK(pipe_get(p, out, 10, copy_fails) == PIPE_FAULT);
    CHECK(pipe_get(p, out, 10, copy) == 10);
    wp.s.otheropen = 0;                                        // no reader left
    CHECK(pipe_put(p, in, 10, copy) == -1);

    // A writer's index far ahead of the reader's: a read takes at most a ring's worth,
    // from inside the ring. A reader's index ahead of the writer's: the ring is full.
    wp.s.otheropen = 1;
    wp.nwrite = rp.nread + 100000;
    CHECK(pipe_get(p, out, 3000, copy) == PIPESIZE);
    rp.nread = wp.nwrite + 1;
    CHECK(pipe_put(p, in, 10, copy) == PIPE_WAIT);
    return check_failures();
}
