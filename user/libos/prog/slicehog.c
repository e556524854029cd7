// slicehog: a child asks for the longest time slice kernel-exo offers (100 ticks: ten
// seconds without a switch) and computes for 15 ticks, while its parent sleeps for 2 and
// says how long it slept. A process's share of time is limited to slices of one tick (the
// LibOS's policy, PROC_SLICE), so the request is refused and the parent, like the shell
// and everyone else, wakes on time. Given the slice, the child kept the hart until it was
// done, and everyone waited 15 ticks.
#include "libos/libos.h"

int main(int argc, char **argv) {
    int pid = fork();
    if (pid < 0) {
        printf("slicehog: FAIL fork\n");
        exit(1);
    }
    if (pid == 0) {
        long r = exosched(EXOSCHED_SLICE, 100, 0);
        printf("slicehog: a slice of 100 ticks: %s\n", r == E_RANGE ? "refused" : r == 0 ? "GIVEN" : "OTHER");
        int t0 = uptime();
        while (uptime() - t0 < 15) {}
        exit(0);
    }
    sleep(1); // the child has asked by now
    int t0 = uptime();
    sleep(2);
    int slept = uptime() - t0;
    wait(0);
    printf("slicehog: slept 2 ticks, woke after %s\n", slept <= 4 ? "at most 4" : "MORE");
    exit(0);
}
