// A bigger self-checking program: fill an array from a PRNG, sort it three ways
// (insertion, heap, merge), check they agree and are sorted, and hash the result.
#include "runtime/harness.h"

#define N 3000
#define SORTHASH_EXPECTED 0x3dc494dd6660f73eUL // computed independently from the same PRNG
static unsigned int a[N], b[N], c[N], tmp[N];

static unsigned int rng = 12345;
static unsigned int next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static void insertion(unsigned int *v, int n) {
    for (int i = 1; i < n; i++) {
        unsigned int x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static void sift(unsigned int *v, int start, int end) {
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, swap = root;
        if (v[swap] < v[child]) swap = child;
        if (child + 1 <= end && v[swap] < v[child + 1]) swap = child + 1;
        if (swap == root) return;
        unsigned int t = v[root]; v[root] = v[swap]; v[swap] = t;
        root = swap;
    }
}

static void heapsort(unsigned int *v, int n) {
    for (int s = (n - 2) / 2; s >= 0; s--) sift(v, s, n - 1);
    for (int e = n - 1; e > 0; e--) { unsigned int t = v[e]; v[e] = v[0]; v[0] = t; sift(v, 0, e - 1); }
}

static void mergesort(unsigned int *v, int lo, int hi) {
    if (hi - lo < 2) return;
    int mid = (lo + hi) / 2;
    mergesort(v, lo, mid);
    mergesort(v, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
    while (i < mid) tmp[k++] = v[i++];
    while (j < hi) tmp[k++] = v[j++];
    for (k = lo; k < hi; k++) v[k] = tmp[k];
}

int main(void) {
    puts("sorthash: 3000 numbers sorted three ways, compared and hashed\n");
    unsigned long sum = 0;
    for (int i = 0; i < N; i++) { a[i] = b[i] = c[i] = next() % 100000; sum += a[i]; }
    insertion(a, N);
    heapsort(b, N);
    mergesort(c, 0, N);
    int sorted = 1, same = 1;
    unsigned long sum2 = 0, hash = 1469598103934665603UL;
    for (int i = 0; i < N; i++) {
        if (i > 0 && a[i - 1] > a[i]) sorted = 0;
        if (a[i] != b[i] || a[i] != c[i]) same = 0;
        sum2 += a[i];
        hash = (hash ^ a[i]) * 1099511628211UL;
    }
    CHECK(sorted);
    CHECK(same);
    CHECK(sum == sum2);
    CHECK(hash == SORTHASH_EXPECTED);
    return check_failures();
}
