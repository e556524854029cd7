// ghost: a process the file server could lose track of, one way per argument
// (LibosKillTest). Each line is prefixed with the way's name; a line with "FAIL" is a
// process that outlived what should have ended it, or that no one could reap.
//
//   ghost killed    kills its child while it is still being built, then starts it: the
//                   child's code spins in its first instruction and never enters a LibOS
//   ghost deadexec  a child that destroys the environment its exec builds, lets the
//                   server's thread count that end, and then commits the exec
//   ghost killexec  a child that kills itself and then execs `ghost spin`, which turns its
//                   upcalls off, clears the kill mark its LibOS reads, and spins
//   ghost storm     a child that destroys itself while four siblings call the server
//                   without a pause, so that the server is never without a caller
//   ghost spin      turns its upcalls off and clears its kill mark for ever (^C must end it)
//   ghost ends      children that end every way at once while their parent waits, beside
//                   a sibling that makes ends no call caused (it destroys children it builds)
//
// The parent reaps without sleeping in wait (a raw SRV_WAIT each tick), so that a child
// no one ends is reported, then killed again so that the run ends.
#include "libos/libos.h"
#include "embryo.h"

#define REAP_TICKS 30   // several times the server's grace for a killed process (KILL_GRACE)

static int reap_looks; // the looks the last reap took, a tick apart

// Reaps pid within ticks: 1 and its status, or 0 if it has not ended by then.
static int reap_within(int pid, int ticks, int *status) {
    for (int t = 0; t <= ticks; t++) {
        exo_u64 out[6];
        long r = srv(SRV_WAIT, 0, 0, 0, out);
        if (r == pid) {
            *status = (int)out[1];
            reap_looks = t + 1;
            return 1;
        }
        if (r != SRV_AGAIN) return 0;
        sleep(1);
    }
    return 0;
}

// Reaps pid, or says it could not and kills it again (a second kill reaches it) first.
static void reap_or_fail(const char *way, int pid, const char *what) {
    int status = 0;
    if (reap_within(pid, REAP_TICKS, &status)) {
        printf("%s: %s ended with status %d: passed\n", way, what, status);
        return;
    }
    printf("%s: FAIL %s still runs, unreaped, %d ticks on\n", way, what, REAP_TICKS);
    kill(pid);
    int got = wait(&status);
    printf("%s: killed again, it was reaped (%d, status %d)\n", way, got == pid, status);
}

// killed: the server's forced kill ends a killed process that never exits by itself, but
// it looked only at processes already started, and cleared its "kills pending" once none
// was left: a child killed while its parent built it, started after that, ran for good.
// Its program, RV64 machine code: says it ran (t1 is the mailbox), then spins.
static const uint spin_code[] = {
    (1 << 20) | (7 << 7) | 0x13,                        // addi t2, x0, 1
    (7 << 20) | (6 << 15) | (3 << 12) | 0x23,           // sd t2, 0(t1)
    0x0000006f,                                         // j .
};

static int killed_main(void) {
    exo_u64 out[6];
    long pid = srv(SRV_FORK, 0, 0, 0, out);
    if (pid < 0) {
        printf("ghost killed: FAIL no fork\n");
        exit(1);
    }
    static struct exo_regs r;
    volatile long *mbox = embryo_fill((int)out[1], spin_code, sizeof spin_code, &r);
    if (mbox == 0) {
        printf("ghost killed: FAIL cannot fill the child\n");
        exit(1);
    }
    int k = kill((int)pid);
    sleep(8);   // past the grace: the server has looked for killed processes since
    long s = srv(SRV_FORK_START, pid, 0, 0, 0);
    printf("ghost killed: kill %d, start %ld\n", k, s);
    if (s < 0) srv(SRV_FORK_ABORT, pid, 0, 0, 0);
    else reap_or_fail("ghost killed", (int)pid, "the child killed before it started");
    printf("ghost killed: the child %s\n", mbox[0] ? "ran" : "never ran");
    exit(0);
}

// deadexec: exec's new environment is the caller's to build until the commit, and so to
// destroy. The server's thread counts that end as one no call caused, and the next call
// (the commit itself) looks for it among the processes, where it is no one's yet: had the
// commit made the dead environment the process's, nothing would look again, and the
// process would be alive in the table, with no code, for good (its parent's wait too).
static int deadexec_main(void) {
    int c = fork();
    if (c == 0) {
        lo_strlcpy(IPC->path[0], "/ghost", SRV_MAXPATH);
        exo_u64 out[6];
        if (srv(SRV_EXEC_OPEN, 0, 0, 0, 0) != 0 || srv(SRV_EXEC_ENV, 0, 0, 0, out) < 0) {
            printf("ghost deadexec: FAIL cannot begin an exec\n");
            exit(1);
        }
        env_ctl((int)out[1], ENV_DESTROY, (void *)7L);
        sleep(2);   // the server's thread counts the end meanwhile
        lo_strlcpy(IPC->path[0], "ghost", SRV_MAXPATH);
        UPROC->exiting = 1;
        long r = srv(SRV_EXEC_COMMIT, 0, 0, 0, 0);
        // Only a refused commit returns (a done one ends this environment in the call).
        UPROC->exiting = 0;
        printf("ghost deadexec: the commit was refused (%ld)\n", r);
        exit(5);
    }
    reap_or_fail("ghost deadexec", c, "the process whose exec's environment died before the commit");
    exit(0);
}

// killexec: a killed process's exec is served (xv6 would not run it: the process exits
// on its way into the call), and the program it starts ends, by force, when the grace is
// over, whatever it does.
static int killexec_main(void) {
    int c = fork();
    if (c == 0) {
        srv(SRV_KILL, UPROC->pid, 0, 0, 0);
        UPROC->exiting = 1;     // past its LibOS's look at killed, as if exiting
        char *argv[] = {"ghost", "spin", 0};
        exec("/ghost", argv);
        printf("ghost killexec: the exec failed\n");
        exit(5);
    }
    reap_or_fail("ghost killexec", c, "the killed process that exec'd a spinner");
    exit(0);
}

// ends: the server's wait trusts the kernel's count of its environments' ends (ENV_INFO's
// ended): while it matches the ends the server caused, nobody looks for others. Children
// end by exit (a call), by destroying themselves (no call: the server must look) and by a
// fault with no handler (the kernel ends them), on every hart, while their parent waits
// and a sibling makes ends the server did not cause and no process had: it destroys the
// environments of children it is building. Each child must be reaped once, by pid, with
// its own status; a lost end leaves the parent asleep for good (kernel-exo halts, status 1).
#define NENDS 24
static int ends_main(void) {
    int faker = fork();
    if (faker == 0) {
        int started = 0;
        for (int i = 0; i < 3 * NENDS; i++) {
            exo_u64 out[6];
            long pid = srv(SRV_FORK, 0, 0, 0, out);
            if (pid < 0) continue;
            env_ctl((int)out[1], ENV_DESTROY, (void *)3L);
            started += srv(SRV_FORK_START, pid, 0, 0, 0) == 0;
            srv(SRV_FORK_ABORT, pid, 0, 0, 0);
        }
        if (started) printf("ghost ends: FAIL %d destroyed children started\n", started);
        exit(0);
    }
    static int pids[NENDS];
    for (int i = 0; i < NENDS; i++) {
        int c = fork();
        if (c == 0) {
            for (volatile int k = 0; k < (i % 5) * 3000; k++) {
            }
            if (i % 3 == 0) exit(10 + i);
            if (i % 3 == 1) {
                for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)(10 + i));
            }
            exo_upcall(0, 0, 0);
            *(volatile long *)8 = 0;    // no handler: the kernel ends us, status -1
        }
        pids[i] = c;
    }
    int bad = 0, reaped = 0, status = 0, pid;
    static int seen[NENDS];
    while ((pid = wait(&status)) >= 0) {
        if (pid == faker) {
            bad += status != 0;
            continue;
        }
        int i = 0;
        while (i < NENDS && pids[i] != pid) i++;
        int want = i % 3 == 2 ? -1 : 10 + i;
        if (i == NENDS || seen[i]++ || status != want) {
            printf("ghost ends: FAIL reaped pid %d (child %d), status %d\n", pid, i, status);
            bad++;
        }
        reaped++;
    }
    printf("ghost ends: %d of %d children reaped, each once with its status: %s\n", reaped, NENDS,
           reaped == NENDS && !bad ? "passed" : "FAIL");
    exit(0);
}

// storm: an end no call caused is looked for by the server's own thread (EV_CHILD), which
// ran only between calls: the kernel started a waiting caller's call the moment the one
// before returned. Callers that keep the server's queue full kept that thread from ever
// running, and a child that died without a call was reaped by no one while they called (a
// fork bomb at its limit keeps the queue full so: its ends from the monitor's kill were
// never reaped, MonitorKillTest). Now the kernel gives a callee's own thread a turn once
// calls have kept it a tick: the parent's look a tick apart finds it within a few. Each caller calls getpgrp for ever (one crossing, nothing
// more); its kill ends it at its next call.
#define NCALLERS 4
static int storm_main(void) {
    static int callers[NCALLERS];
    for (int i = 0; i < NCALLERS; i++) {
        if ((callers[i] = fork()) == 0) {
            for (;;) getpgrp();
        }
    }
    int c = fork();
    if (c == 0) {
        sleep(2);   // the callers are at it by then
        for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)7L);
    }
    reap_or_fail("ghost storm", c, "the child that destroyed itself beside the callers");
    printf("ghost storm: reaped at the parent's look %d, a tick apart (it ended 2 ticks in)\n", reap_looks);
    for (int i = 0; i < NCALLERS; i++) kill(callers[i]);
    int status, n = 0;
    while (wait(&status) >= 0) n++;
    printf("ghost storm: %d callers reaped\n", n);
    exit(0);
}

// spin: out of its LibOS's reach for good: no slice upcalls (the LibOS would notice a
// kill at one), and the kill mark the LibOS reads cleared again and again. Only the
// server's forced kill ends it (^C at a terminal: HostileSpinnerCtrlCTest).
static int spin_main(void) {
    exo_upcall(0, 0, 0);
    IPC->killed = 0;            // (before the print: a killed exec's would exit at it)
    printf("ghost spin: deaf from here on\n");
    for (;;) IPC->killed = 0;
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*run)(void);
    } ways[] = {
        {"killed", killed_main}, {"deadexec", deadexec_main}, {"killexec", killexec_main}, {"ends", ends_main},
        {"storm", storm_main}, {"spin", spin_main},
    };
    for (unsigned i = 0; argc == 2 && i < sizeof ways / sizeof ways[0]; i++) {
        if (lo_strcmp(argv[1], ways[i].name) == 0) return ways[i].run();
    }
    printf("usage: ghost killed|deadexec|killexec|ends|storm\n");
    exit(1);
}
