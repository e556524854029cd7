// Benchmark workload: floating point. An n-body step (double, with square roots), a
// Mandelbrot set in single and double precision, and a double matrix product whose
// entries are small integers (so every sum is exact and checkable).
//
//   float [ROUNDS]
#include "bench.h"

#define BODIES 5
#define STEPS 2000
#define M 24

struct body { double x, y, z, vx, vy, vz, m; };

// The square root instruction (there is no libm here).
static inline double root(double x) {
    double r;
    asm("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

static double energy(struct body *b) {
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].m * b[j].m / root(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(struct body *b, double dt) {
    for (int i = 0; i < BODIES; i++)
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * root(d2));
            b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
            b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
        }
    for (int i = 0; i < BODIES; i++) { b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz; }
}

static int mandel_d(int size, int iters) {
    int inside = 0;
    for (int py = 0; py < size; py++)
        for (int px = 0; px < size; px++) {
            double cr = -2.0 + 2.5 * px / size, ci = -1.25 + 2.5 * py / size, zr = 0, zi = 0;
            int k = 0;
            while (k < iters && zr * zr + zi * zi <= 4.0) { double t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; k++; }
            if (k == iters) inside++;
        }
    return inside;
}

static int mandel_f(int size, int iters) {
    int inside = 0;
    for (int py = 0; py < size; py++)
        for (int px = 0; px < size; px++) {
            float cr = -2.0f + 2.5f * px / size, ci = -1.25f + 2.5f * py / size, zr = 0, zi = 0;
            int k = 0;
            while (k < iters && zr * zr + zi * zi <= 4.0f) { float t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; k++; }
            if (k == iters) inside++;
        }
    return inside;
}

static double ma[M][M], mb[M][M], mc[M][M];

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: float [ROUNDS]\n");
    if (n < 1) return 2;
    long result = 0;
    for (long r = 0; r < n; r++) {
        struct body b[BODIES] = {
            {0, 0, 0, 0, 0, 0, 39.47},
            {4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.037},
            {8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011},
            {12.89, -15.11, -0.22, 1.08, 0.868, -0.01, 0.0017},
            {15.37, -25.91, 0.17, 0.979, 0.594, -0.034, 0.002},
        };
        double e0 = energy(b);
        for (int s = 0; s < STEPS; s++) advance(b, 0.001);
        double e1 = energy(b);
        double drift = (e1 - e0) / e0;
        CHECK(drift < 1e-3 && drift > -1e-3); // small steps keep the energy
        int md = mandel_d(48, 64), mf = mandel_f(48, 64);
        CHECK(md > 400 && md < 900 && mf > 400 && mf < 900 && (md - mf < 20 && mf - md < 20));
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) { ma[i][j] = (i * 7 + j) % 11 - 5; mb[i][j] = (i + 3 * j) % 13 - 6; }
        double trace = 0;
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                double s = 0;
                for (int k = 0; k < M; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < M; i++) trace += mc[i][i];
        long exact = 0;
        for (int i = 0; i < M; i++)
            for (int k = 0; k < M; k++) exact += (long)((i * 7 + k) % 11 - 5) * ((k + 3 * i) % 13 - 6);
        CHECK(trace == (double)exact);
        result = md * 1000 + mf + (long)trace + (long)(e1 * 1000);
    }
    puts("float "); putdec(result); puts("\n");
    return check_failures();
}
