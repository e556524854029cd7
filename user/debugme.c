// debugme [n]: a small program to try gdb on (README, "Debugging with gdb"). The child
// computes Fibonacci numbers the slow way, so there is a call chain to step through and
// see in a backtrace (main, fib, fib, ...), a global to watch (calls), and floating point
// for the FP registers; the parent waits for it.
#include "user.h"

int calls; // how many times fib ran: try "watch calls"

// noinline: at -O2 clang would fold fib into main, leaving nothing to step into.
__attribute__((noinline)) int fib(int n) {
    calls++;
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char *argv[]) {
    int n = argc > 1 ? atoi(argv[1]) : 10;
    if (n < 2 || n > 30) {
        fprintf(2, "usage: debugme [n], n from 2 to 30\n");
        exit(1);
    }
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "debugme: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        int f = fib(n);
        double ratio = (double) f / fib(n - 1); // nears the golden ratio, 1.618...
        printf("fib(%d) = %d after %d calls; fib(%d) / fib(%d) = %d/1000\n", n, f, calls, n, n - 1,
               (int) (ratio * 1000));
        exit(0);
    }
    int status;
    wait(&status);
    printf("debugme: the child exited with status %d\n", status);
    exit(0);
}
