// Process ids: positive, from 1 round to LO_PID_MAX, never one in use. The server's
// process table took nextpid++, which after 2^31 forks went negative and after 2^32
// reached 0, fork's answer to the child: the parent would have taken itself for its
// child. A process table of NPROC slots makes the search at most NPROC steps.
#include "lib.h"

int lo_pid_alloc(int *next, int (*in_use)(int pid, void *arg), void *arg) {
    int pid = *next;
    while (in_use(pid, arg)) pid = pid == LO_PID_MAX ? 1 : pid + 1;
    *next = pid == LO_PID_MAX ? 1 : pid + 1;
    return pid;
}
