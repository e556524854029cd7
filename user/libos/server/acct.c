// Accounts: how much of the file server's tables each process and its descendants may
// hold — process slots, open files, pipes — as kernel-exo's memory quotas do for pages.
// The tables are the server's, shared by all, so without limits one process tree could take
// every slot (sh: fork failed for everyone), every open file, or every pipe.
//
// Each process has an account derived from its parent's at fork, with the same limits, less
// a reserve where the parent keeps one (init and the shells: proc.c's keeps_reserve). What
// a process holds is charged to its account and to every account it derives from, and a
// charge fails when any of them is at its limit: so a command and everything it starts hold
// at most their shell's limits less the reserve, and the shell can still start the next one.
//
// Accounts follow the lineage of fork, not the process table's parents (orphans go to init
// there, not here), so they outlive their processes: an account lives while its process
// does, while something is charged to it (an open file its children still share), or while
// accounts derive from it. A dead one from which only one derives is spliced out of the
// tree (its child's limits are within its own, so nothing is lost); so the accounts alive
// are at most the processes, the open files and pipes they hold, and as many again, and a
// pool of NACCT never runs out.
#include "sproc.h"

#define NACCT (2 * (NPROC + NFILE + NPIPE) + 8)

struct acct {
    int inuse;
    int parent;             // the account it derives from, or -1 for the root
    int process;            // 1 while its process's slot exists
    int children;           // accounts derived from it
    int limit[A_NRES];
    int held[A_NRES];       // charged to it and to the accounts derived from it
    int own[A_NRES];        // charged to it
};

static struct acct accts[NACCT];
static const int reserve[A_NRES] = {ACCT_RESERVE_PROCS, ACCT_RESERVE_FILES, ACCT_RESERVE_PIPES};

int acct_new(int parent, int keep_reserve) {
    int a = 0;
    while (a < NACCT && accts[a].inuse) a++;
    if (a == NACCT) return -1;
    struct acct *x = &accts[a];
    lo_memset(x, 0, sizeof *x);
    x->inuse = 1;
    x->parent = parent;
    x->process = 1;
    for (int r = 0; r < A_NRES; r++) {
        int whole = r == A_PROC ? NPROC : r == A_FILE ? NFILE : NPIPE;
        int lim = parent < 0 ? whole : accts[parent].limit[r];
        if (keep_reserve) lim -= lim / 4 < reserve[r] ? lim / 4 : reserve[r];
        x->limit[r] = lim;
    }
    if (parent >= 0) accts[parent].children++;
    return a;
}

int acct_charge(int a, int r) {
    for (int x = a; x >= 0; x = accts[x].parent) {
        if (accts[x].held[r] >= accts[x].limit[r]) return -1;
    }
    for (int x = a; x >= 0; x = accts[x].parent) accts[x].held[r]++;
    accts[a].own[r]++;
    return 0;
}

// Forgets dead accounts nothing needs any more, from a upwards, and splices out a dead one
// from which a single account derives.
static void tidy(int a) {
    while (a >= 0) {
        struct acct *x = &accts[a];
        int own = 0;
        for (int r = 0; r < A_NRES; r++) own += x->own[r];
        if (x->process || own > 0 || x->children > 1) return;
        int parent = x->parent;
        if (x->children == 1) {
            for (int c = 0; c < NACCT; c++) {
                if (accts[c].inuse && accts[c].parent == a) accts[c].parent = parent;
            }
            x->inuse = 0;
            return; // the parent keeps as many children
        }
        x->inuse = 0;
        if (parent >= 0) accts[parent].children--;
        a = parent;
    }
}

void acct_uncharge(int a, int r) {
    if (a < 0) return;
    for (int x = a; x >= 0; x = accts[x].parent) accts[x].held[r]--;
    accts[a].own[r]--;
    tidy(a);
}

void acct_drop(int a) {
    if (a < 0) return;
    accts[a].process = 0;
    tidy(a);
}

// The fs layer's hooks: an open file is charged to the account of the process that opened it.
int fs_file_charge(int a) {
    return a < 0 ? 0 : acct_charge(a, A_FILE);
}

void fs_file_uncharge(int a) {
    acct_uncharge(a, A_FILE);
}
