// killpipe [rounds [step [lead [late]]]]: kill reaches a process on its way to sleep on a
// pipe. Each round sleeps 2 ticks (so it starts on a tick, with the file server's thread
// asleep and not ticking), forks a child that spins a while and then reads an empty pipe,
// spins about as long itself, kills the child and waits for it. Round after round both
// spins grow by step loops (2 instructions each), so that on harts taking turns (-d) the
// instant the child last looks at whether it was killed, and then sleeps, slides across
// the parent's kill; lead and late spin the parent, or the child, that many loops more.
// A kill that falls between that look and the sleep must still wake the child at once
// (docs/exo.md, "Blocking in the standard LibOS"). It prints how many ticks the slowest
// kill took to end its child: in deterministic time, 0 unless a kill was lost until the
// next tick. A kill lost for good leaves the child asleep on the pipe and the parent on
// its wake word, and kernel-exo halts saying nothing can wake them. (LibosKillTest runs
// it; 1700 3 0 3000 on two harts found the lost kill in round 300.)
#include "user.h"

// About 2n instructions, whatever the compiler makes of an empty loop.
static void spin(long n) {
    for (long i = 0; i < n; i++) __asm__ volatile("");
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    int step = argc > 2 ? atoi(argv[2]) : 7;
    int lead = argc > 3 ? atoi(argv[3]) : 0;        // the parent's spin beyond the child's
    int late = argc > 4 ? atoi(argv[4]) : 0;        // the child's beyond the parent's
    int slowest = 0;
    int p[2];
    if (pipe(p) < 0) {
        printf("killpipe: pipe failed\n");
        exit(1);
    }
    for (int i = 0; i < rounds; i++) {
        long n = (long)i * step;
        sleep(2);
        int pid = fork();
        if (pid < 0) {
            printf("killpipe: fork failed in round %d\n", i);
            exit(1);
        }
        if (pid == 0) {
            char c;
            spin(n + late);
            int r = read(p[0], &c, 1);
            printf("killpipe: read returned %d in a killed process\n", r);
            exit(2);
        }
        spin(n + lead);
        int t0 = uptime();
        kill(pid);
        int status = 0;
        if (wait(&status) != pid || status != -1) {
            printf("killpipe: round %d: the killed child exited with %d\n", i, status);
            exit(1);
        }
        int took = uptime() - t0;
        if (took > slowest) slowest = took;
    }
    printf("killpipe: %d rounds: every child killed on its way to sleep on a pipe exited with -1, "
           "the slowest %d ticks after its kill\n", rounds, slowest);
    exit(0);
}
