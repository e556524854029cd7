// CPU benchmark workload: linked-list traversal, integer matrix multiply and a branchy
// state machine. Each part checks its own result; the checksums printed do not depend on
// the machine. Exit status = number of failed checks.
//
//   cpu [ROUNDS]     run the whole workload ROUNDS times (default 1), each from the same
//                    start, so a round is the same instructions every time. make bench
//                    runs several rounds so QEMU's share is not lost in its start-up.
#include "../test/runtime/harness.h"

#define NODES 4096
#define LIST_ROUNDS 300
#define MAT 48
#define MAT_ROUNDS 12
#define TEXT 8192
#define FSM_ROUNDS 150
#define FSM_EXPECTED 77001662400L // computed independently from the same generator

struct node { struct node *next; long value; };
static struct node nodes[NODES];
static long ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];
static unsigned char text[TEXT];

static unsigned int rng = 2463534242u;
static unsigned int next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static long list_walk(void) {
    // A random cyclic permutation, so each step is a dependent load.
    static int perm[NODES];
    for (int i = 0; i < NODES; i++) perm[i] = i;
    for (int i = NODES - 1; i > 0; i--) { int j = (int)(next() % (unsigned)(i + 1)); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    for (int i = 0; i < NODES; i++) { nodes[perm[i]].next = &nodes[perm[(i + 1) % NODES]]; nodes[perm[i]].value = perm[i]; }
    long sum = 0;
    struct node *p = &nodes[perm[0]];
    for (int r = 0; r < LIST_ROUNDS; r++)
        for (int i = 0; i < NODES; i++) { sum += p->value; p = p->next; }
    return sum;
}

static long matmul(void) {
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) { ma[i][j] = (i * 3 + j) % 17 - 8; mb[i][j] = (i + j * 5) % 13 - 6; }
    long trace = 0;
    for (int r = 0; r < MAT_ROUNDS; r++) {
        for (int i = 0; i < MAT; i++)
            for (int j = 0; j < MAT; j++) {
                long s = 0;
                for (int k = 0; k < MAT; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s + r;
            }
        for (int i = 0; i < MAT; i++) trace += mc[i][i];
    }
    return trace;
}

// Counts words, numbers and comment bytes in a synthetic text with a switch-driven FSM.
static long fsm(void) {
    const char alphabet[] = "abc 123 /*x*/ de9\n";
    for (int i = 0; i < TEXT; i++) text[i] = (unsigned char)alphabet[next() % (sizeof alphabet - 1)];
    long words = 0, numbers = 0, comment = 0;
    for (int r = 0; r < FSM_ROUNDS; r++) {
        enum { SPACE, WORD, NUMBER, SLASH, COMMENT, STAR } st = SPACE;
        for (int i = 0; i < TEXT; i++) {
            unsigned char ch = text[i];
            switch (st) {
            case SPACE:
                if (ch >= 'a' && ch <= 'z') { st = WORD; words++; }
                else if (ch >= '0' && ch <= '9') { st = NUMBER; numbers++; }
                else if (ch == '/') st = SLASH;
                break;
            case WORD: case NUMBER:
                if (ch == ' ' || ch == '\n') st = SPACE;
                else if (ch == '/') st = SLASH;
                break;
            case SLASH:
                st = ch == '*' ? COMMENT : SPACE;
                break;
            case COMMENT:
                comment++;
                if (ch == '*') st = STAR;
                break;
            case STAR:
                comment++;
                st = ch == '/' ? SPACE : ch == '*' ? STAR : COMMENT;
                break;
            }
        }
    }
    return words * 1000003 + numbers * 1009 + comment;
}

static long number(const char *s) {
    long n = 0;
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return *s ? -1 : n;
}

static void workload(void) {
    rng = 2463534242u;
    long list = list_walk();
    CHECK(list == (long)LIST_ROUNDS * NODES * (NODES - 1) / 2); // a full cycle visits every node once
    long trace = matmul();
    // Recompute one round independently by a different loop order.
    long t2 = 0;
    for (int i = 0; i < MAT; i++) { long s = 0; for (int k = 0; k < MAT; k++) s += mb[k][i] * ma[i][k]; t2 += s; }
    CHECK(trace == MAT_ROUNDS * t2 + (long)MAT * MAT_ROUNDS * (MAT_ROUNDS - 1) / 2);
    long f = fsm();
    CHECK(f == FSM_EXPECTED);
    puts("list "); putdec(list); puts(" trace "); putdec(trace); puts(" fsm "); putdec(f); puts("\n");
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? number(argv[1]) : 1;
    if (rounds < 1) {
        puts("usage: cpu [ROUNDS]\n");
        return 2;
    }
    for (long r = 0; r < rounds; r++) workload();
    return check_failures();
}
