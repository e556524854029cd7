// killword: kill ends, within its grace, a process asleep where kill cannot wake it. The
// child sleeps on a word of its own (EXOSCHED_WAIT) that no one will ever wake, and looks
// at nothing when a tick ends its wait but sleeps again: its LibOS never learns it was
// killed, and only the file server's forced kill (KILL_GRACE ticks) can end it. That needs
// time to pass while every process sleeps on a word (the parent waits for the child on
// its own): the server's thread must wait for ticks from the kill on, though it had
// blocked for good, wanting none, before the kill came (server/boot.c, srv_ring_thread).
#include "libos/libos.h"

static volatile int word;

int main(void) {
    int pid = fork();
    if (pid < 0) {
        printf("killword: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        for (;;) exosched(EXOSCHED_WAIT, (long)&word, 0);
    }
    sleep(3);   // the child asleep, and the server's thread asleep with nothing to tick for
    kill(pid);
    int status = 0;
    int w = wait(&status);
    int ok = w == pid && status == -1;
    printf("killword: the child asleep on its own word was killed, and exited with %d: %s\n", status,
           ok ? "passed" : "FAILED");
    exit(!ok);
}
