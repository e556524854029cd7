// tablehog: takes all it can of the file server's tables — process slots (children that
// fork until fork fails), in-memory inodes (each child holds a file of its own open),
// open files and pipes (each child pipes and opens until that fails) — and holds them for
// the ticks given. The tables are shared by every process; a process tree may hold only
// what its account allows (server/acct.c), the shell keeps a reserve from each command,
// and the inode table is big enough for every file and process, so meanwhile the shell
// can still start the next command, a pipeline included. Without accounts every slot went
// (sh: fork failed), and a few processes holding different files filled the inode table
// (no path could be looked up: exec failed, for everyone).
// "tablehog measure N" waits N ticks, then takes what it can, says so, and lets go.
#include "libos/libos.h"

// Takes what one process can: a file of its own (an inode no one else holds), then pipes
// and opens until they fail. got[0] files, got[1] pipes.
static void take(int k, int *got) {
    char name[16] = "/tablehog.";
    name[10] = (char)('a' + k / 26);
    name[11] = (char)('a' + k % 26);
    name[12] = 0;
    got[0] = got[1] = 0;
    if (open(name, O_CREATE | O_RDWR) >= 0) got[0]++;
    unlink(name);           // it lives while it is open
    int fds[2];
    while (pipe(fds) == 0) got[1]++;
    while (open("/storage", 0) >= 0) got[0]++;
}

int main(int argc, char **argv) {
    int measure = argc > 1 && lo_strcmp(argv[1], "measure") == 0;
    int ticks = argc > 1 + measure ? atoi(argv[1 + measure]) : 20;
    if (measure) sleep(ticks);
    // Children report what they took on report, then hold it until gate closes.
    int report[2], gate[2];
    if (pipe(report) < 0 || pipe(gate) < 0) {
        printf("tablehog: FAIL no pipe\n");
        exit(1);
    }
    int kids = 0;
    for (;; kids++) {
        int pid = fork();
        if (pid < 0) break;
        if (pid == 0) {
            close(report[0]);
            close(gate[1]);
            int got[2];
            take(kids, got);
            write(report[1], got, sizeof got);
            close(report[1]);
            char c;
            read(gate[0], &c, 1);
            exit(0);
        }
    }
    close(report[1]);
    int got[2], total[2] = {0, 0};
    while (read(report[0], got, sizeof got) == sizeof got) {
        total[0] += got[0];
        total[1] += got[1];
    }
    printf("tablehog: %s %d processes, %d open files, %d pipes\n", measure ? "could take" : "holding", kids + 1,
           total[0], total[1]);
    if (!measure) sleep(ticks);
    close(gate[1]);
    while (wait(0) >= 0) {}
    exit(0);
}
