/* The gradient's error at an optimum, against double precision, on every path: 10^6 x 8
   features uniform in [-1, 1], labels drawn from a known model; L-BFGS to tol 1e-8, then
   loss_grad there, and at the same X with weights 16 times larger (away from the optimum).
     gcc -O2 -I. bench/ab/optimum.c -o /tmp/optimum -lm && /tmp/optimum */
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include "tests/ref.h"
#include <stdio.h>
#include <stdlib.h>
enum { N = 1000000, M = 8 };
static uint64_t state = 88172645463325252ull;
static double uniform(void) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}
/* max |g - ref| over max |ref|, and max |ref|; ref: tests/ref.h, in double */
static double error(const float *X, const float *y, const float *w, float b, double *gmax) {
    double ref[M + 1], wd[M], worst = 0, loss;
    float g[M + 1];
    size_t j;
    for (j = 0; j < M; j++) wd[j] = w[j];
    ref_loss_grad(X, N, M, M, y, NULL, wd, b, 0.0, ref);
    if (logreg_loss_grad(X, N, M, M, y, NULL, w, b, &loss, g, g + M) != LOGREG_OK) return -1;
    for (*gmax = 0, j = 0; j <= M; j++) *gmax = fabs(ref[j]) > *gmax ? fabs(ref[j]) : *gmax;
    for (j = 0; j <= M; j++) worst = fabs(g[j] - ref[j]) > worst ? fabs(g[j] - ref[j]) : worst;
    return worst / *gmax;
}
int main(void) {
    float *X = (float *)malloc(sizeof(float) * N * M), *y = (float *)malloc(sizeof(float) * N);
    size_t i, j;
    int isa;
    for (i = 0; i < (size_t)N * M; i++) X[i] = (float)(uniform() * 2 - 1);
    for (i = 0; i < N; i++) {
        double z = 0.3;
        for (j = 0; j < M; j++) z += X[i * M + j] * (j + 1) * 0.5;
        y[i] = uniform() < 1 / (1 + exp(-z)) ? 1.0f : 0.0f;
    }
    for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
        float w[M] = {0}, b = 0;
        logreg_options o = {0};
        double gmax, e;
        if (logreg_isa_select((logreg_isa)isa) != LOGREG_OK) continue;
        o.tol = 1e-8;
        if (logreg_train(X, N, M, M, y, &o, w, &b, NULL) != LOGREG_OK) return 1;
        e = error(X, y, w, b, &gmax);
        printf("%-7s at the optimum: max|grad| %.3g, error %.3g of it (%.3g absolute)", logreg_isa_name((logreg_isa)isa), gmax, e, e * gmax);
        for (j = 0; j < M; j++) w[j] *= 16;
        e = error(X, y, w, b * 16, &gmax);
        printf("; weights x16: max|grad| %.3g, error %.3g of it\n", gmax, e);
    }
    return 0;
}
