// revokedemo: a revocation to watch in the live view (make EXO=1 qemu VIEW=1).
//
// A LibOS process holds no right to revoke: the file server does the revoking, where
// sharing ends (user/libos/README.md). A pipe shows it. The server makes the pipe's page
// and, for each process that holds an end, derives from its own capability one for that
// process alone, and grants the process a capability from that, through which it maps
// the page. So in the view's derivation tree the server's page has one child per process,
// each with a grandchild in that process's environment and the mapping hanging from it,
// and the memory map shows the page shared.
//
// Here the pipe is shared by this process and a child. On Enter the child closes its
// ends and exits: the server revokes the child's branch, capability and mapping gone. On
// Enter again this process closes its ends: the server revokes its branch too and frees
// the page.
#include "user.h"

static void enter(const char *what) {
    char line[64];
    printf("revokedemo: press Enter %s\n", what);
    read(0, line, sizeof line);   // a line, or the end of the input: either goes on
}

int main(void) {
    int fd[2];
    if (pipe(fd) < 0) {
        printf("revokedemo: pipe failed\n");
        exit(1);
    }
    printf("revokedemo: pid %d made a pipe: the file server granted it the pipe's page\n", getpid());
    int pid = fork();
    if (pid < 0) {
        printf("revokedemo: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        printf("revokedemo: pid %d, its child, holds both ends too: a grant of its own\n", getpid());
        enter("and the child closes its ends (the server revokes its grant)");
        close(fd[0]);
        close(fd[1]);
        printf("revokedemo: the child closed its ends and exits\n");
        exit(0);
    }
    wait(0);
    enter("and the parent closes the pipe (the server revokes its grant and frees the page)");
    close(fd[0]);
    close(fd[1]);
    printf("revokedemo: done\n");
    exit(0);
}
