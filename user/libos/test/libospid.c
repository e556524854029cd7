// lo_pid_alloc of user/libos/lib/pid.c: pids count up, wrap from LO_PID_MAX to 1 (never
// to 0 or below) and skip those in use.
#include "test/runtime/harness.h"
#include "libos/lib/lib.h"

static int used[8], nused;

static int in_use(int pid, void *arg) {
    for (int i = 0; i < nused; i++)
        if (used[i] == pid) return 1;
    return 0;
}

int main(void) {
    int next = 1;
    CHECK(lo_pid_alloc(&next, in_use, 0) == 1);
    CHECK(lo_pid_alloc(&next, in_use, 0) == 2);

    // Near the top, with 1 and 2 and the top itself in use.
    next = LO_PID_MAX - 1;
    used[nused++] = 1;
    used[nused++] = 2;
    used[nused++] = LO_PID_MAX;
    CHECK(lo_pid_alloc(&next, in_use, 0) == LO_PID_MAX - 1);
    CHECK(lo_pid_alloc(&next, in_use, 0) == 3); // past the top (in use), 1 and 2 (in use)
    CHECK(next == 4);

    // The top itself, then round to 1.
    nused = 0;
    next = LO_PID_MAX;
    CHECK(lo_pid_alloc(&next, in_use, 0) == LO_PID_MAX);
    CHECK(next == 1);
    CHECK(lo_pid_alloc(&next, in_use, 0) == 1);
    return check_failures();
}
