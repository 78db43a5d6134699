/* Rows streaming from memory (G1, G3, G4 shapes) or in cache (512x512), AVX-512: a
   software-pipelined pass (this block's gradient and the next block's dot products in one loop
   over 16-float columns, blocks of R rows, -DPF=1 also prefetching the block after next) against
   logreg_loss_grad, in turn, medians of 25. m must be a multiple of 16 and n of R; tried on Zen 5
   (bench/tuning.md), not kept. -O3 keeps the rows' sums in registers:
     gcc -O3 -funroll-loops -I. bench/ab/stream.c -o /tmp/stream -lm && /tmp/stream 60000x784 100000x128 2000x4096 512x512 */
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
#ifndef R
#define R 8
#endif
#ifndef PF
#define PF 0
#endif
#ifndef CHEAP
#define CHEAP 0
#endif

/* d[i] = row i's sums (b in lane 0), for the first block */
LOGREG__AVX512 void dots_only(const float *X, size_t m, const float *w, float b, __m512 *d) {
    size_t i, j;
    for (i = 0; i < R; i++) d[i] = logreg__avx512_lane0(b);
    for (j = 0; j < m; j += 16) {
        __m512 wv = _mm512_loadu_ps(w + j);
        for (i = 0; i < R; i++) d[i] = _mm512_fmadd_ps(_mm512_loadu_ps(X + i * m + j), wv, d[i]);
    }
}
/* r = the block's residuals from its rows' sums d; the loss and Σ r into s. -DCHEAP=1 (R a
   multiple of 8): the sums four rows at a time (logreg__avx512_hsum4) and each eight residuals as
   one vector, instead of R reductions and the library's residual loop */
LOGREG__AVX512 void residuals(const __m512 *d, const float *y, float *r, double *s) {
    size_t i;
#if CHEAP
    for (i = 0; i < R; i += 8) {
        __m512 v[3] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
        __mmask16 bad[3] = {0, 0, 0};
        __m512 z = _mm512_insertf32x4(_mm512_castps128_ps512(logreg__avx512_hsum4(d[i], d[i + 1], d[i + 2], d[i + 3])),
                                      logreg__avx512_hsum4(d[i + 4], d[i + 5], d[i + 6], d[i + 7]), 1);
        z = logreg__avx512_lr1(z, logreg__avx512_exp_nabs(z), _mm512_maskz_loadu_ps(0xff, y + i), _mm512_setzero_ps(), 0xff, 1, 0, v, bad);
        _mm256_storeu_ps(r + i, _mm512_castps512_ps256(z));
        s[0] += _mm512_reduce_add_ps(v[0]), s[1] += _mm512_reduce_add_ps(v[1]);
    }
#else
    for (i = 0; i < R; i++) r[i] = _mm512_reduce_add_ps(d[i]);
    logreg__avx512_loss_residual(r, y, NULL, R, 1, s, 0, 0);
#endif
}
LOGREG__TARGET_AVX512 static double pass(const float *X, size_t n, size_t m, const float *y, const float *w, float b, float *acc, double *gsum) {
    float r[R];
    double s[3] = {0, 0, 0};
    size_t k, i, j, nb = n / R;
    __m512 d[R];
    memset(acc, 0, m * sizeof(float));
    dots_only(X, m, w, b, d);
    residuals(d, y, r, s);
    for (k = 0; k < nb; k++) {
        const float *Xk = X + k * R * m, *Xn = Xk + R * m;
        __m512 rb[R];
        for (i = 0; i < R; i++) d[i] = logreg__avx512_lane0(b), rb[i] = _mm512_set1_ps(r[i]);
        if (k + 1 < nb) {
            for (j = 0; j < m; j += 16) {
                __m512 g = _mm512_loadu_ps(acc + j), wv = _mm512_loadu_ps(w + j);
#if PF
                if (k + 2 < nb) for (i = 0; i < R; i++) __builtin_prefetch(Xn + R * m + i * m + j, 0, 2);
#endif
                for (i = 0; i < R; i++) {
                    g = _mm512_fmadd_ps(rb[i], _mm512_loadu_ps(Xk + i * m + j), g);
                    d[i] = _mm512_fmadd_ps(_mm512_loadu_ps(Xn + i * m + j), wv, d[i]);
                }
                _mm512_storeu_ps(acc + j, g);
            }
            residuals(d, y + (k + 1) * R, r, s);
        } else {
            for (j = 0; j < m; j += 16) {
                __m512 g = _mm512_loadu_ps(acc + j);
                for (i = 0; i < R; i++) g = _mm512_fmadd_ps(rb[i], _mm512_loadu_ps(Xk + i * m + j), g);
                _mm512_storeu_ps(acc + j, g);
            }
        }
    }
    *gsum = s[1];
    return s[0] / n;
}
int main(int argc, char **argv) {
    enum { REPS = 25 };
    static double t[2][REPS];
    int s, q;
    for (s = 1; s < argc; s++) {
        size_t n, m, i;
        float *X, *y, *w, *g, *acc, gb;
        double loss = 0, l2 = 0, gs;
        if (sscanf(argv[s], "%zux%zu", &n, &m) != 2) return 2;
        X = aligned_alloc(64, n * m * 4), y = malloc(n * 4), w = malloc(m * 4), g = malloc(m * 4), acc = aligned_alloc(64, m * 4);
        fill(X, y, w, n, m);
        logreg_isa_select(LOGREG_ISA_AVX512);
        for (q = 0; q < REPS; q++) {
            double t0 = now();
            logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, g, &gb);
            t[0][q] = now() - t0;
            t0 = now();
            l2 = pass(X, n, m, y, w, 0.1f, acc, &gs);
            t[1][q] = now() - t0;
        }
        for (i = 0; i < 3; i++) printf("g[%zu] %.6g %.6g  ", i, g[i], acc[i] / n);
        printf("loss %.8g %.8g\n", loss, l2);
        qsort(t[0], REPS, 8, cmpd), qsort(t[1], REPS, 8, cmpd);
        printf("%s  loss_grad %.4f ms  pipelined %.4f ms  ratio %.3f\n", argv[s], t[0][REPS / 2] * 1e3, t[1][REPS / 2] * 1e3, t[1][REPS / 2] / t[0][REPS / 2]);
        free(X), free(y), free(w), free(g), free(acc);
    }
    return 0;
}
