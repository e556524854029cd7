// kill pid ...: kill each process.
#include "user.h"

// A pid: digits only, so that "kill abc" is not taken for "kill 0".
static int pidarg(const char *s) {
    if (*s == 0) return -1;
    int pid = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || pid > 100000000) return -1;
        pid = pid * 10 + (*s - '0');
    }
    return pid;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(2, "usage: kill pid...\n");
        exit(1);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int pid = pidarg(argv[i]);
        if (pid < 0) {
            fprintf(2, "kill: %s is not a pid (a number, as ^P lists them)\n", argv[i]);
            status = 1;
        } else if (kill(pid) < 0) {
            // Both kernels refuse to kill init, always pid 1: it reaps every orphan.
            if (pid == 1) fprintf(2, "kill: 1 is init, which cannot be killed\n");
            else fprintf(2, "kill: no process %d\n", pid);
            status = 1;
        }
    }
    exit(status);
}
