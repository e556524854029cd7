// pipeforge: lies to the file server through a pipe's shared page. Every holder of a pipe
// end maps the pipe's page writable (the ring is in it), and the page also carries the
// flags that say which ends are still open. If the server believed those flags, a process
// holding the read end could mark it closed, close its write end, and so make the server
// free the pipe while our read descriptor still named it; then
//   1. the pipe's number goes to the next pipe anyone makes (here, another process's),
//      and a fork of ours maps that pipe and reads what it carries;
//   2. once that one is gone too, closing our stale descriptor makes the server write to
//      the page it had unmapped: the server faults, and every process with it.
// It prints what it got; "pipeforge: the server kept its own count" when both failed.
#include "libos/libos.h"
#include "libos/lib/pipering.h"

#define SECRET "the victim's secret"

// Another process, with no descriptor of our pipe: makes a pipe of its own and puts a
// secret in it, waits while we try to read it, then closes it.
static void victim(void) {
    sleep(3);
    int p[2];
    if (pipe(p) < 0) {
        printf("pipeforge: FAIL victim: no pipe\n");
        exit(1);
    }
    write(p[1], SECRET, sizeof SECRET);
    sleep(10);
    close(p[1]);
    char buf[64];
    int n = read(p[0], buf, sizeof buf);
    printf("pipeforge: the victim reads back %d bytes%s\n", n, n == sizeof SECRET ? "" : ": FAIL someone took them");
    close(p[0]);
    exit(0);
}

int main(void) {
    int v = fork();
    if (v == 0) victim();
    int fds[2];
    if (pipe(fds) < 0) {
        printf("pipeforge: FAIL no pipe\n");
        exit(1);
    }
    struct pipepage *pp = (struct pipepage *)PIPE_VA(fdget(fds[0])->pipe);
    pp->readopen = 0;           // the lie: "nobody reads this pipe any more"
    close(fds[1]);              // the last writer: would both ends now be closed?
    sleep(6);                   // the victim makes its pipe meanwhile
    int g = fork();             // fork maps every pipe our descriptors name into the child
    if (g == 0) {
        char buf[64];
        int n = read(fds[0], buf, sizeof buf);
        if (n > 0) printf("pipeforge: FAIL read another process's pipe: %s\n", buf);
        else printf("pipeforge: our read end still reads our own pipe: %s\n", n == 0 ? "end of file" : "error");
        exit(0);
    }
    wait(0);
    wait(0);                    // the victim, whose pipe is gone now
    close(fds[0]);              // the stale descriptor, if the server had let the pipe go
    // Only a server that is still alive answers this.
    int fd = open("/pipeforge", O_RDONLY);
    printf("pipeforge: %s\n", fd >= 0 ? "the server kept its own count" : "FAIL the server is gone");
    exit(0);
}
