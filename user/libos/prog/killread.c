// killread: kill reaches a process blocked reading the console. The child waits for a
// line that never comes (in EXOSCHED_BLOCK, for EV_CONSOLE); the parent kills it, and the
// file server's revocation of the child's kill token must end that wait at once: the
// child exits with -1 without ever returning from read.
#include "user.h"

int main(void) {
    int pid = fork();
    if (pid < 0) {
        printf("killread: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        char c;
        int r = read(0, &c, 1);
        printf("killread: read returned %d in a killed process\n", r);
        exit(2);
    }
    sleep(3);   // let the child block
    int t0 = uptime();
    kill(pid);
    int status = 0;
    int w = wait(&status);
    int took = uptime() - t0;
    int ok = w == pid && status == -1 && took < 2;
    printf("killread: child %d exited with %d, %d ticks after the kill: %s\n", pid, status, took,
           ok ? "passed" : "FAILED");
    exit(!ok);
}
