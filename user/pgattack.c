// pgattack: setpgid as a hostile program calls it, on either kernel (red team 12). Every
// argument setpgid should refuse (absurd pids and groups, init, its own parent, a
// grandchild, a zombie child, a group only a zombie is in, init's group, a sibling's),
// each refusal leaving the caller's group as it was; and races, on several harts, between
// a parent moving its children from group to group and those children exec'ing, exiting
// and being killed, after which nothing is left over and the moves of a gone child are
// refused. Prints "pgattack OK" when all holds.
//
// pgattack nop: exits at once (the program the racing children exec).
//
// pgattack ctrlc: a foreground command that tries to move itself, a child and an orphan
// of its own into init's group (each refused: "pgattack: init's group refused") and claims
// the console (it may: it descends from the interactive shell), so that ^C would kill
// init's group had the moves been let through: it prints "pgattack: claimed" and echoes
// the lines it reads ("pgattack: read LINE") until "quit". ^C kills its child and its
// orphan and spares init, the shells and itself (it reads the console, as a shell does).
#include "user.h"

#define ROUNDS 40

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        printf("pgattack: FAIL %s\n", what);
        failures++;
    }
}

// A child that exits at once, left a zombie (not waited for). Returns its pid.
static int zombie(int lead) {
    int pid = fork();
    if (pid == 0) {
        if (lead) setpgid(0, 0);
        exit(0);
    }
    sleep(3);       // long enough for it to have exited, on any hart
    return pid;
}

// The parent moves each child between a group of its own and the parent's, as fast as it
// can, while the child execs a program that exits, or exits, or is killed by the parent.
static void race(int mine) {
    char *argv[] = {"pgattack", "nop", 0};
    for (int i = 0; i < ROUNDS; i++) {
        int pid = fork();
        if (pid < 0) {
            check(0, "fork during the race");
            return;
        }
        if (pid == 0) {
            if (i % 3 == 0) exec("pgattack", argv);
            if (i % 3 == 1) exit(7);
            for (;;) getpid();      // killed by its parent
        }
        for (int k = 0; k < 200; k++) {
            if (i % 3 == 2 && k == 50) kill(pid);
            if (setpgid(pid, k % 2 ? mine : pid) < 0) break;
        }
        int status = -1;
        check(wait(&status) == pid, "the racing child is waited for");
        check(setpgid(pid, 0) < 0 && setpgid(pid, mine) < 0, "setpgid of a reaped child refused");
        check(setpgid(0, pid) < 0, "no group of a reaped child to join");
        if (getpgrp() != mine) setpgid(0, mine);
    }
}

// Tries to join init's group, then sleeps for good.
static void in_inits_group(void) {
    printf(setpgid(0, 1) < 0 && getpgrp() != 1 ? "pgattack: init's group refused\n" : "pgattack: FAIL joined init's group\n");
    for (;;) sleep(100);
}

static void ctrlc(void) {
    if (fork() == 0) in_inits_group();
    int pid = fork();
    if (pid == 0) {
        if (fork() == 0) in_inits_group();
        exit(0);
    }
    wait(0);
    if (setpgid(0, 1) == 0 || getpgrp() == 1 || interactive() < 0) {
        printf("pgattack: FAIL joined init's group, or the claim failed\n");
        exit(1);
    }
    printf("pgattack: claimed\n");
    static char line[100];
    for (;;) {
        int n = read(0, line, sizeof line - 1);
        if (n <= 0) continue;
        line[n] = 0;
        if (line[n - 1] == '\n') line[n - 1] = 0;
        if (strcmp(line, "quit") == 0) exit(0);
        printf("pgattack: read %s\n", line);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "nop") == 0) exit(0);
    if (argc > 1 && strcmp(argv[1], "ctrlc") == 0) ctrlc();
    int me = getpid(), mine = getpgrp();

    // Absurd arguments.
    int bad[] = {-1, -2, 0x7fffffff, (int)0x80000000, 1000000};
    for (int i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {
        check(setpgid(bad[i], 0) < 0, "setpgid of an absurd pid refused");
        check(setpgid(0, bad[i]) < 0, "setpgid into an absurd group refused");
        check(setpgid(bad[i], bad[i]) < 0, "setpgid of an absurd pid into its own group refused");
    }
    // init: neither moved nor its group led by anyone else.
    check(setpgid(1, 0) < 0 && setpgid(1, 1) < 0 && setpgid(1, mine) < 0, "setpgid of init refused");
    check(getpgrp() == mine, "refusals leave the group");

    // A child may move neither its parent nor its parent's group.
    int p[2];
    pipe(p);
    int pid = fork();
    if (pid == 0) {
        int r = setpgid(me, 0) < 0 && setpgid(me, getpid()) < 0 && setpgid(me, me) < 0;
        // A grandchild: its grandparent may not move it.
        int g = fork();
        if (g == 0) {
            char c;
            read(p[0], &c, 1);
            exit(0);
        }
        write(p[1], &g, sizeof g);
        wait(0);
        exit(r ? 0 : 1);
    }
    int g = -1;
    read(p[0], &g, sizeof g);
    check(setpgid(g, 0) < 0 && setpgid(g, mine) < 0, "setpgid of a grandchild refused");
    write(p[1], "x", 1);
    int status = -1;
    wait(&status);
    check(status == 0, "setpgid of the parent refused");
    close(p[0]);
    close(p[1]);

    // A zombie child is not moved, nor is a group only a zombie is in joined.
    int z = zombie(0);
    check(setpgid(z, 0) < 0 && setpgid(z, mine) < 0, "setpgid of a zombie refused");
    check(setpgid(0, z) < 0, "no group named after a zombie that never led one");
    wait(0);
    z = zombie(1);
    check(setpgid(0, z) < 0, "a group only a zombie is in cannot be joined");
    wait(0);
    check(getpgrp() == mine, "still in the group it started in");

    // Groups one may join: the caller's own and its children's (a pipeline's, put by its
    // shell in its first process's), never init's or a sibling's.
    check(setpgid(0, 1) < 0, "joining init's group refused");
    int q[2];
    pipe(q);
    int a = fork();
    if (a == 0) {
        setpgid(0, 0);
        char c;
        read(q[0], &c, 1);
        exit(0);
    }
    setpgid(a, a); // as a shell does: both, so it is led before either goes on
    int b = fork();
    if (b == 0) exit(setpgid(0, a) < 0 && getpgrp() == mine ? 0 : 1);
    status = -1;
    check(wait(&status) == b && status == 0, "a sibling's group cannot be joined");
    int c = fork();
    if (c == 0) {
        char x;
        read(q[0], &x, 1);
        exit(0);
    }
    check(setpgid(c, a) == 0, "a parent puts a child in another child's group");
    check(setpgid(c, mine) == 0, "and back in its own");
    write(q[1], "xy", 2);
    wait(0);
    wait(0);
    close(q[0]);
    close(q[1]);
    check(getpgrp() == mine, "still in its group after the joins");

    race(mine);
    check(getpgrp() == mine, "the group after the race");
    check(wait(0) < 0, "no child left over");

    if (failures == 0) printf("pgattack OK\n");
    exit(failures != 0);
}
