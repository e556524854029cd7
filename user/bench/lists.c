// Benchmark workload: list processing. Singly linked lists in an arena: insertion into a
// sorted list, merge sort, reversal, filtering and a walk that sums. Each part checks its
// result another way.
//
//   lists [ROUNDS]
#include "bench.h"

#define ARENA 40000
#define SORTED 1500
#define LONG 30000

struct node { struct node *next; long key; long val; };
static struct node arena[ARENA];
static int used;

static struct node *cons(long key, long val, struct node *next) {
    struct node *n = &arena[used++];
    n->key = key; n->val = val; n->next = next;
    return n;
}

// Insert keeping ascending order: a walk per insertion.
static struct node *insert(struct node *head, struct node *n) {
    if (!head || n->key < head->key) { n->next = head; return n; }
    struct node *p = head;
    while (p->next && p->next->key <= n->key) p = p->next;
    n->next = p->next;
    p->next = n;
    return head;
}

static struct node *merge(struct node *a, struct node *b) {
    struct node head, *t = &head;
    while (a && b) {
        if (a->key <= b->key) { t->next = a; a = a->next; } else { t->next = b; b = b->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static struct node *msort(struct node *l) {
    if (!l || !l->next) return l;
    struct node *slow = l, *fast = l->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct node *r = slow->next;
    slow->next = 0;
    return merge(msort(l), msort(r));
}

static struct node *reverse(struct node *l) {
    struct node *r = 0;
    while (l) { struct node *n = l->next; l->next = r; r = l; l = n; }
    return r;
}

static int sorted(struct node *l, int descending) {
    for (; l && l->next; l = l->next)
        if (descending ? l->key < l->next->key : l->key > l->next->key) return 0;
    return 1;
}

static long workload(void) {
    used = 0;
    bench_seed = 88172645463325252UL;
    // Insertion sort by building a sorted list one node at a time.
    struct node *s = 0;
    long keysum = 0;
    for (int i = 0; i < SORTED; i++) {
        long k = (long)(bench_rand() % 100000);
        keysum += k;
        s = insert(s, cons(k, i, 0));
    }
    CHECK(sorted(s, 0));
    long walked = 0, count = 0;
    for (struct node *p = s; p; p = p->next) { walked += p->key; count++; }
    CHECK(walked == keysum && count == SORTED);

    // A long list: merge sort, reverse, drop the odd keys, sum what is left.
    struct node *l = 0;
    long evens = 0;
    for (int i = 0; i < LONG; i++) {
        long k = (long)(bench_rand() % 1000000);
        if (k % 2 == 0) evens += k;
        l = cons(k, k * 3, l);
    }
    l = msort(l);
    CHECK(sorted(l, 0));
    l = reverse(l);
    CHECK(sorted(l, 1));
    struct node head = {l, 0, 0}, *p = &head;
    while (p->next) {
        if (p->next->key % 2) p->next = p->next->next;
        else p = p->next;
    }
    long left = 0, vals = 0;
    for (p = head.next; p; p = p->next) { left += p->key; vals += p->val; }
    CHECK(left == evens && vals == 3 * evens);
    return left ^ walked;
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: lists [ROUNDS]\n");
    if (n < 1) return 2;
    long r = 0;
    for (long i = 0; i < n; i++) r = workload();
    puts("lists "); putdec(r); puts("\n");
    return check_failures();
}
