// Benchmark workload: deep call chains and indirect calls. A bytecode interpreter whose
// operations are functions in a table, a binary tree walked by recursion with visitor
// function pointers, recursive Fibonacci and mutual recursion. Each result is known.
//
//   calls [ROUNDS]
#include "bench.h"

// ---- a register machine whose operations are called through a table
enum { LOADI, ADD, MULI, DEC, JNZ, HALT, NOPS };
struct vm { long r[4]; int pc; const int *code; };
typedef void (*op_fn)(struct vm *);

static void op_loadi(struct vm *m) { const int *c = m->code + m->pc; m->r[c[1]] = c[2]; m->pc += 3; }
static void op_add(struct vm *m) { const int *c = m->code + m->pc; m->r[c[1]] = m->r[c[2]] + m->r[c[3]]; m->pc += 4; }
static void op_muli(struct vm *m) { const int *c = m->code + m->pc; m->r[c[1]] = m->r[c[2]] * c[3]; m->pc += 4; }
static void op_dec(struct vm *m) { m->r[m->code[m->pc + 1]]--; m->pc += 2; }
static void op_jnz(struct vm *m) { const int *c = m->code + m->pc; m->pc = m->r[c[1]] ? c[2] : m->pc + 3; }
static void op_halt(struct vm *m) { m->pc = -1; }
static const op_fn ops[NOPS] = {op_loadi, op_add, op_muli, op_dec, op_jnz, op_halt};

// r0 = 0; for (r1 = n; r1 != 0; r1--) r0 += 3 * r1;
static long vm_sum(int n) {
    const int code[] = {
        LOADI, 0, 0,
        LOADI, 1, n,
        /* 6 */ MULI, 2, 1, 3,
        ADD, 0, 0, 2,
        DEC, 1,
        JNZ, 1, 6,
        HALT,
    };
    struct vm m = {{0}, 0, code};
    while (m.pc >= 0) ops[code[m.pc]](&m);
    return m.r[0];
}

// ---- a tree walked with visitors
struct tree { struct tree *l, *r; long v; };
static struct tree nodes[1 << 12];
static int used;

static struct tree *build(int depth, long *next) {
    if (depth == 0) return 0;
    struct tree *t = &nodes[used++];
    t->l = build(depth - 1, next);
    t->v = (*next)++;
    t->r = build(depth - 1, next);
    return t;
}

typedef long (*visit_fn)(long acc, long v);
static long visit_sum(long acc, long v) { return acc + v; }
static long visit_mix(long acc, long v) { return acc * 31 + v; }
static long visit_max(long acc, long v) { return v > acc ? v : acc; }

static long walk(struct tree *t, visit_fn f, long acc) {
    if (!t) return acc;
    acc = walk(t->l, f, acc);
    acc = f(acc, t->v);
    return walk(t->r, f, acc);
}

// ---- plain recursion
static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: calls [ROUNDS]\n");
    if (n < 1) return 2;
    long result = 0;
    for (long r = 0; r < n; r++) {
        long s = vm_sum(20000);
        CHECK(s == 3L * 20000 * 20001 / 2);
        used = 0;
        long next = 0;
        struct tree *t = build(11, &next);
        long sum = walk(t, visit_sum, 0), mix = walk(t, visit_mix, 0), max = walk(t, visit_max, 0);
        CHECK(sum == next * (next - 1) / 2 && max == next - 1);
        long f = fib(22);
        CHECK(f == 17711);
        CHECK(is_even(3000) && is_odd(2999));
        result = s + sum + (mix & 0xffff) + f;
    }
    puts("calls "); putdec(result); puts("\n");
    return check_failures();
}
