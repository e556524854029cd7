// pgroups: what setpgid and getpgrp promise, on either kernel. A process is in its
// forker's group, kept when its parent exits (so ^C, which kills the interactive
// shell's group, reaches an orphan); setpgid moves the caller or a child of it into a
// new group it leads or into one the caller or a child of it is in (never init's), and
// refuses anything else.
// Prints "pgroups OK" when all holds.
//
// pgroups where: says whether this process leads its group, as a background command
// (which the shell puts in a group of its own) does, or is in another's (the shell's, which
// leads one: not init's), as a foreground command is.
#include "user.h"

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        printf("pgroups: FAIL %s\n", what);
        failures++;
    }
}

// Forks a child that exits with its group.
static int childs_group(void) {
    int pid = fork();
    if (pid == 0) exit(getpgrp());
    int status = -1;
    wait(&status);
    return status;
}

// Forks a child that forks a grandchild and exits; the grandchild, init's by then,
// writes its group into a pipe. Returns that group, or -1.
static int orphans_group(void) {
    int go[2], back[2];
    if (pipe(go) < 0 || pipe(back) < 0) return -1;
    int pid = fork();
    if (pid == 0) {
        if (fork() == 0) {
            char c;
            read(go[0], &c, 1);     // its parent has exited
            int g = getpgrp();
            write(back[1], &g, sizeof g);
            exit(0);
        }
        exit(0);
    }
    wait(0);
    write(go[1], "x", 1);
    int g = -1;
    if (read(back[0], &g, sizeof g) != sizeof g) g = -1;
    close(go[0]);
    close(go[1]);
    close(back[0]);
    close(back[1]);
    return g;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "where") == 0) {
        int g = getpgrp();
        printf("pgroups: %s\n", g == getpid() ? "leads its group" : g == 1 ? "in init's group" : "in its shell's group");
        exit(0);
    }
    int mine = getpgrp();
    check(mine > 0, "getpgrp is a pid");
    check(childs_group() == mine, "a child is in its forker's group");
    check(orphans_group() == mine, "an orphan keeps its group");

    // Refusals, each leaving the group as it was.
    check(setpgid(-1, 0) < 0, "setpgid(-1, 0) refused");
    check(setpgid(0, -1) < 0, "setpgid(0, -1) refused");
    check(setpgid(1, 0) < 0, "setpgid of init (no child of ours) refused");
    check(setpgid(0, 0x7ffffff0) < 0, "setpgid into a group no process is in refused");
    check(getpgrp() == mine, "a refused setpgid leaves the group");

    // A new group, led by the caller, which its children inherit.
    check(setpgid(0, 0) == 0 && getpgrp() == getpid(), "setpgid(0, 0) makes the caller lead a group");
    check(childs_group() == getpid(), "a child is in the new group");

    // A child moved by its parent, into a group of its own and back into the parent's; not
    // into the shell's, which the parent has left and no child of it is in.
    int p[2];
    pipe(p);
    int pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        exit(getpgrp());
    }
    close(p[0]);
    check(setpgid(pid, pid) == 0, "setpgid of a child into a group of its own");
    check(setpgid(pid, mine) < 0, "setpgid of a child into a group neither the caller nor a child of it is in refused");
    check(setpgid(pid, getpid()) == 0, "setpgid of a child into its parent's group");
    write(p[1], "x", 1);
    close(p[1]);
    int status = -1;
    wait(&status);
    check(status == getpid(), "the child is where its parent put it");
    check(setpgid(pid, 0) < 0, "setpgid of a child that has gone refused");

    if (failures == 0) printf("pgroups OK\n");
    exit(failures != 0);
}
