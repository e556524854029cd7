// zombie: leave a child unwaited-for, so it stays a zombie until init reaps it.
#include "user.h"

int main(void) {
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "zombie: fork failed\n");
        exit(1);
    }
    if (pid > 0) sleep(5);  // give the child time to exit, then leave without waiting
    exit(0);
}
