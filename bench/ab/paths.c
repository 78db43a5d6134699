/* AVX2 and AVX-512 in turn, in one process, on the same X: loss_grad, or with -DRESIDUAL
   logreg_residual (which reads X once), medians of 25 calls each. Built with logreg.h as it is
   (add -DLOGREG_PREFETCH_BYTES=4000000000u, say, to time it without software prefetches):
     gcc -O2 -I. bench/ab/paths.c -o /tmp/paths -lm && /tmp/paths 60000x784 100000x128 2000x4096 */
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
int main(int argc, char **argv) {
    enum { REPS = 25 };
    static double t[2][REPS];
    int s, r, k;
    for (s = 1; s < argc; s++) {
        size_t n, m;
        float *X, *y, *w, *o, *g, gb;
        double loss;
        if (sscanf(argv[s], "%zux%zu", &n, &m) != 2) return 2;
        X = (float *)aligned_alloc(64, (n * m * 4 + 63) / 64 * 64), y = (float *)malloc(n * 4);
        w = (float *)malloc(m * 4), o = (float *)malloc(n * 4), g = (float *)malloc(m * 4);
        fill(X, y, w, n, m);
        for (r = 0; r < REPS; r++)
            for (k = 0; k < 2; k++) {
                double t0;
                if (logreg_isa_select(k ? LOGREG_ISA_AVX512 : LOGREG_ISA_AVX2) != LOGREG_OK) return 1;
                t0 = now();
#ifdef RESIDUAL
                (void)loss, (void)gb, (void)g;
                if (logreg_residual(X, n, m, m, w, 0.1f, y, o) != LOGREG_OK) return 1;
#else
                (void)o;
                if (logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, g, &gb) != LOGREG_OK) return 1;
#endif
                t[k][r] = now() - t0;
            }
        qsort(t[0], REPS, sizeof(double), cmpd), qsort(t[1], REPS, sizeof(double), cmpd);
        printf("%s  avx2 %.3f ms  avx512 %.3f ms  avx512/avx2 %.3f\n", argv[s], t[0][REPS / 2] * 1e3,
               t[1][REPS / 2] * 1e3, t[1][REPS / 2] / t[0][REPS / 2]);
        free(X), free(y), free(w), free(o), free(g);
    }
    return 0;
}
