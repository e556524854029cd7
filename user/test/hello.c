// The smallest harness program: prints a line and exits 0.
#include "runtime/harness.h"

int main(void) {
    puts("hello from RISC-V\n");
    return 0;
}
