/* The synthetic data of BENCHMARKS.md, shared by tests and benchmarks.
   Generator: splitmix64 from the seed; uniform(0,1) = (next >> 11) * 2^-53, never 0;
   normal = Box-Muller, sqrt(-2 ln u1) cos(2 pi u2), one per two uniforms.
   Draw order: w*_j ~ N(0, 1/m) for j < m; then per row i: x_ij ~ N(0, 1) for j < m, then
   y_i = (uniform < sigmoid(w*·x_i + b*)), b* = 0.1. Seed 42 for the benchmarks. */
#ifndef LOGREG_SYNTH_H
#define LOGREG_SYNTH_H
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct synth_rng { uint64_t s; } synth_rng;

static inline uint64_t synth_next(synth_rng *r) {
    uint64_t x = (r->s += 0x9e3779b97f4a7c15ull);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
static inline double synth_uniform(synth_rng *r) { /* in (0, 1) */
    return ((double)(synth_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
static inline double synth_normal(synth_rng *r) {
    double u1 = synth_uniform(r), u2 = synth_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* X: n rows of m floats, ld apart; y: n labels; w_true (m) may be NULL. */
static inline void synth_make(size_t n, size_t m, size_t ld, uint64_t seed, float *X, float *y,
                       float *w_true) {
    synth_rng r;
    size_t i, j;
    double *w = (double *)malloc(m * sizeof(double));
    r.s = seed;
    for (j = 0; j < m; j++) w[j] = synth_normal(&r) / sqrt((double)m);
    for (i = 0; i < n; i++) {
        double z = 0.1;
        for (j = 0; j < m; j++) {
            X[i * ld + j] = (float)synth_normal(&r);
            z += w[j] * X[i * ld + j];
        }
        y[i] = synth_uniform(&r) < 1.0 / (1.0 + exp(-z)) ? 1.0f : 0.0f;
    }
    if (w_true)
        for (j = 0; j < m; j++) w_true[j] = (float)w[j];
    free(w);
}
#endif
