/* G5's shape (504 x 512 here, in L2), kernels only: the sequential block (logreg.h's dot products
   of 12 rows, their residuals, then its gradient) against a software pipeline (the
   gradient of 4 rows and the next 4 rows' dot products in one loop over 16-float columns,
   blocks of 4, 8 or 12 rows), each with logreg.h's AVX-512 residuals and loss or with a trivial
   r = z/1000 - y (timing only). Needs AVX-512; -O3 unrolls the row loops into registers:
     gcc -O3 -w -I. bench/ab/pipe.c -o /tmp/pipe -lm && /tmp/pipe */
#define LOGREG_STATIC
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
#define T __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,fma,avx2"), noinline))
#define TI __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,fma,avx2"), always_inline)) static inline
enum { N = 504, M = 512 }; /* rows: a multiple of 4, 8 and 12 */
static int real; /* 1: logreg.h's residuals and loss; 0: trivial */
static double S[3];
TI void resid(float *z, const float *y, int R) {
    int i;
    if (real) logreg__avx512_loss_residual(z, y, NULL, (size_t)R, 1, S, 0, 0);
    else for (i = 0; i < R; i++) z[i] = z[i] * 1e-3f - y[i];
}
/* logreg.h's own AVX-512 kernels for the dot products and the gradient of a block */
TI void dots(const float *x, int R, const float *w, float *z) { logreg__avx512_dots(x, (size_t)R, M, M, w, 0.0f, z, 0, 0); }
TI void axpy(const float *x, int R, const float *r, float *g) { logreg__avx512_axpy_rows(x, (size_t)R, M, M, r, g, 0); }
T void seq12(const float *X, const float *y, const float *w, float *g) {
    float z[12];
    int i;
    for (i = 0; i + 12 <= N; i += 12) dots(X + i * M, 12, w, z), resid(z, y + i, 12), axpy(X + i * M, 12, z, g);
}
/* block k's dot products with block k-1's gradient, column by column */
#define PIPE(name, R)                                                                              \
    T void name(const float *X, const float *y, const float *w, float *g) {                        \
        float zp[R], zc[R];                                                                        \
        int k, t, j;                                                                               \
        dots(X, R, w, zp), resid(zp, y, R);                                                        \
        for (k = R; k + R <= N; k += R) {                                                          \
            const float *xc = X + k * M, *xp = X + (k - R) * M;                                    \
            __m512 a[R], rr[R];                                                                    \
            for (t = 0; t < R; t++) a[t] = _mm512_setzero_ps(), rr[t] = _mm512_set1_ps(zp[t]);     \
            for (j = 0; j < M; j += 16) {                                                          \
                __m512 w0 = _mm512_loadu_ps(w + j), g0 = _mm512_loadu_ps(g + j);                   \
                for (t = 0; t < R; t++) a[t] = _mm512_fmadd_ps(_mm512_loadu_ps(xc + t * M + j), w0, a[t]); \
                for (t = 0; t < R; t++) g0 = _mm512_fmadd_ps(rr[t], _mm512_loadu_ps(xp + t * M + j), g0); \
                _mm512_storeu_ps(g + j, g0);                                                       \
            }                                                                                      \
            for (t = 0; t < R; t++) zc[t] = _mm512_reduce_add_ps(a[t]);                            \
            resid(zc, y + k, R);                                                                   \
            for (t = 0; t < R; t++) zp[t] = zc[t];                                                 \
        }                                                                                          \
        axpy(X + (k - R) * M, R, zp, g);                                                           \
    }
PIPE(pipe4, 4)
PIPE(pipe8, 8)
PIPE(pipe12, 12)
int main(void) {
    static const char *name[] = {"sequential, 12-row blocks", "pipelined, 4-row blocks", "pipelined, 8-row blocks", "pipelined, 12-row blocks"};
    void (*f[])(const float *, const float *, const float *, float *) = {seq12, pipe4, pipe8, pipe12};
    float *X = aligned_alloc(64, N * M * 4), *y = aligned_alloc(64, N * 4), *w = aligned_alloc(64, M * 4), *g = aligned_alloc(64, M * 4);
    double t[4][31];
    int i, v, r, it;
    srand(1);
    for (i = 0; i < N * M; i++) X[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    for (i = 0; i < N; i++) y[i] = (float)(i & 1);
    for (i = 0; i < M; i++) w[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    for (real = 0; real < 2; real++) {
        for (r = 0; r < 31; r++) /* the variants in turn, medians */
            for (v = 0; v < 4; v++) {
                double t0;
                memset(g, 0, M * 4);
                t0 = now();
                for (it = 0; it < 200; it++) f[v](X, y, w, g);
                t[v][r] = (now() - t0) / 200 * 1e6;
            }
        for (v = 0; v < 4; v++) {
            qsort(t[v], 31, sizeof t[v][0], cmpd);
            printf("%-26s %-22s %6.2f us  %.2fx\n", name[v], real ? "logreg.h residuals" : "trivial residuals", t[v][15], t[v][15] / t[0][15]);
        }
    }
    return 0;
}
