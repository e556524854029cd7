// Benchmark workload: small matrix work on integers. Products of 16x16 matrices, a
// matrix power modulo a prime by repeated squaring, a transpose and Bareiss's
// fraction-free determinant of an 8x8 matrix. Checked by identities: (AB)^T = B^T A^T,
// A^(m+k) = A^m A^k, det(AB) = det(A) det(B).
//
//   matrix [ROUNDS]
#include "bench.h"

#define N 16
#define P 1000003L

typedef long mat[N][N];
static mat a, b, c, d, e, t1, t2, pw, acc;

static void mul(mat x, mat y, mat out, long mod) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            long s = 0;
            for (int k = 0; k < N; k++) s += x[i][k] * y[k][j];
            out[i][j] = mod ? (s % mod + mod) % mod : s;
        }
}

static void transpose(mat x, mat out) {
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) out[j][i] = x[i][j];
}

static void copy(mat from, mat to) {
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) to[i][j] = from[i][j];
}

static int same(mat x, mat y) {
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) if (x[i][j] != y[i][j]) return 0;
    return 1;
}

// x^e mod P by squaring.
static void power(mat x, long ex, mat out) {
    static mat base, tmp;
    copy(x, base);
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) out[i][j] = i == j;
    while (ex) {
        if (ex & 1) { mul(out, base, tmp, P); copy(tmp, out); }
        mul(base, base, tmp, P);
        copy(tmp, base);
        ex >>= 1;
    }
}

// Bareiss: exact integer determinant of the top-left 8x8 block.
static long det8(mat x) {
    long m[8][8];
    for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) m[i][j] = x[i][j];
    long prev = 1, sign = 1;
    for (int k = 0; k < 7; k++) {
        if (m[k][k] == 0) {
            int s = k + 1;
            while (s < 8 && m[s][k] == 0) s++;
            if (s == 8) return 0;
            for (int j = 0; j < 8; j++) { long t = m[k][j]; m[k][j] = m[s][j]; m[s][j] = t; }
            sign = -sign;
        }
        for (int i = k + 1; i < 8; i++)
            for (int j = k + 1; j < 8; j++) m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) / prev;
        prev = m[k][k];
    }
    return sign * m[7][7];
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: matrix [ROUNDS]\n");
    if (n < 1) return 2;
    long result = 0;
    for (long r = 0; r < n; r++) {
        bench_seed = 88172645463325252UL;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) { a[i][j] = (long)(bench_rand() % 7) - 3; b[i][j] = (long)(bench_rand() % 5) - 2; }
        mul(a, b, c, 0);
        transpose(c, d);
        transpose(a, t1);
        transpose(b, t2);
        mul(t2, t1, e, 0);
        CHECK(same(d, e));
        power(a, 37, pw);
        power(a, 20, t1);
        power(a, 17, t2);
        mul(t1, t2, acc, P);
        CHECK(same(pw, acc));
        // det of 8x8 blocks: the product's block is not the blocks' product, so use a
        // block-diagonal pair: zero outside the top-left 8x8 block.
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) if (i >= 8 || j >= 8) { a[i][j] = 0; b[i][j] = 0; }
        mul(a, b, c, 0);
        long da = det8(a), db = det8(b), dc = det8(c);
        CHECK(dc == da * db);
        result = pw[3][5] + dc + c[2][2];
    }
    puts("matrix "); putdec(result); puts("\n");
    return check_failures();
}
