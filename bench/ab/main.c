/* A/B of two builds of logreg.h (ab.sh): for each shape, loss_grad with build A, with build B and
   a plain read of X take turns, and the medians are printed with B's time over A's. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
int lg_a(const float *, size_t, size_t, const float *, const float *, float *);
int lg_b(const float *, size_t, size_t, const float *, const float *, float *);
__attribute__((target("avx512f"))) static float rd(const float *X, size_t cnt) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    size_t i;
    for (i = 0; i + 64 <= cnt; i += 64) {
        a0 = _mm512_add_ps(a0, _mm512_load_ps(X + i)), a1 = _mm512_add_ps(a1, _mm512_load_ps(X + i + 16));
        a2 = _mm512_add_ps(a2, _mm512_load_ps(X + i + 32)), a3 = _mm512_add_ps(a3, _mm512_load_ps(X + i + 48));
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}
int main(int argc, char **argv) {
    static double ta[2001], tb[2001], tr[2001];
    int s, r;
    for (s = 1; s < argc; s++) {
        size_t n, m;
        float *X, *y, *w, *g;
        int reps;
        volatile float sink;
        double t, a, b, rr;
        if (sscanf(argv[s], "%zux%zu", &n, &m) != 2) return 2;
        X = aligned_alloc(64, (n * m * 4 + 63) / 64 * 64 + 64), y = malloc(n * 4), w = malloc(m * 4), g = malloc(m * 4);
        fill(X, y, w, n, m);
        reps = n * m > 10000000 ? 31 : n * m > 1000000 ? 61 : 2001;
        for (r = 0; r < reps; r++) {
            t = now(), lg_a(X, n, m, y, w, g), ta[r] = now() - t;
            t = now(), lg_b(X, n, m, y, w, g), tb[r] = now() - t;
            t = now(), sink = rd(X, n * m), tr[r] = now() - t;
        }
        (void)sink;
        qsort(ta, reps, 8, cmpd), qsort(tb, reps, 8, cmpd), qsort(tr, reps, 8, cmpd);
        a = ta[reps / 2], b = tb[reps / 2], rr = tr[reps / 2];
        printf("%zux%zu  A %.4g ms (%.0f%% of read)  B %.4g ms (%.0f%%)  B/A %.3f  read %.4g ms %.1f GB/s\n", n, m,
               a * 1e3, 100 * rr / a, b * 1e3, 100 * rr / b, b / a, rr * 1e3, n * m * 4 / rr / 1e9);
        free(X), free(y), free(w), free(g);
    }
    return 0;
}
