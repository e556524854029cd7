// Benchmark workload: sorting. Quicksort, heapsort and Shell sort on integers, and a
// generic sort of records through a comparison function pointer (as qsort does). Each
// result is checked for order and against the others.
//
//   sort [ROUNDS]
#include "bench.h"

#define N 12000

struct rec { int key; int id; };
static int a[N], b[N], c[N];
static struct rec recs[N], tmp[N];

static void quicksort(int *v, long lo, long hi) {
    while (lo < hi) {
        int pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) { int t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        // Recurse on the smaller side, loop on the larger.
        if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; } else { quicksort(v, i, hi); hi = j; }
    }
}

static void sift(int *v, long start, long end) {
    long root = start;
    while (2 * root + 1 <= end) {
        long child = 2 * root + 1;
        if (child + 1 <= end && v[child] < v[child + 1]) child++;
        if (v[root] >= v[child]) return;
        int t = v[root]; v[root] = v[child]; v[child] = t;
        root = child;
    }
}

static void heapsort(int *v, long n) {
    for (long start = n / 2 - 1; start >= 0; start--) sift(v, start, n - 1);
    for (long end = n - 1; end > 0; end--) {
        int t = v[0]; v[0] = v[end]; v[end] = t;
        sift(v, 0, end - 1);
    }
}

static void shellsort(int *v, long n) {
    static const long gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
    for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        long gap = gaps[g];
        for (long i = gap; i < n; i++) {
            int t = v[i];
            long j = i;
            for (; j >= gap && v[j - gap] > t; j -= gap) v[j] = v[j - gap];
            v[j] = t;
        }
    }
}

typedef int (*compare)(const void *, const void *);

static int by_key(const void *x, const void *y) {
    const struct rec *p = x, *q = y;
    return p->key != q->key ? (p->key < q->key ? -1 : 1) : p->id - q->id;
}

// A stable merge sort of records, comparing through cmp.
static void msort(struct rec *v, long n, compare cmp) {
    if (n < 2) return;
    long h = n / 2;
    msort(v, h, cmp);
    msort(v + h, n - h, cmp);
    long i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = cmp(&v[i], &v[j]) <= 0 ? v[i++] : v[j++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    for (k = 0; k < n; k++) v[k] = tmp[k];
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: sort [ROUNDS]\n");
    if (n < 1) return 2;
    long sum = 0;
    for (long r = 0; r < n; r++) {
        bench_seed = 88172645463325252UL;
        long total = 0;
        for (int i = 0; i < N; i++) {
            a[i] = b[i] = c[i] = (int)(bench_rand() % 50000) - 25000;
            total += a[i];
            recs[i].key = a[i] / 16;
            recs[i].id = i;
        }
        quicksort(a, 0, N - 1);
        heapsort(b, N);
        shellsort(c, N);
        long s = 0;
        for (int i = 0; i < N; i++) {
            s += a[i];
            if (i > 0) CHECK(a[i - 1] <= a[i]);
            CHECK(a[i] == b[i] && b[i] == c[i]);
        }
        CHECK(s == total);
        msort(recs, N, by_key);
        for (int i = 1; i < N; i++) CHECK(by_key(&recs[i - 1], &recs[i]) < 0);
        sum = s + a[N / 2] + recs[N / 3].id;
    }
    puts("sort "); putdec(sum); puts("\n");
    return check_failures();
}
