/* One-vs-rest: K binary models on one X, and the most probable class of a row. With L-BFGS
   (the default) the K models train together, one pass over X per iteration for all of them;
   GD and SGD train them one after the other. */
#include "train.h"

LOGREG_API logreg_status logreg_train_ovr(const float *X, size_t n, size_t m, size_t ld,
                                          const int *cls, size_t K, const logreg_options *opt,
                                          float *W, float *B, logreg_report *reports) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    float *y;
    size_t i, c;
    if (st != LOGREG_OK) return st;
    if (n == 0 || !cls || K == 0 || !W || !B || K > SIZE_MAX / sizeof(float) / m)
        return LOGREG_ERR_ARG;
    for (i = 0; i < n; i++)
        if (cls[i] < 0 || (size_t)cls[i] >= K) return LOGREG_ERR_LABEL;
    if (!opt || opt->solver == LOGREG_SOLVER_DEFAULT || opt->solver == LOGREG_SOLVER_LBFGS)
        return logreg__train(X, n, m, ld, NULL, cls, K, opt, W, B, reports);
    y = (float *)LOGREG_MALLOC(n * sizeof(float)); /* n*ld*4 fits, so n*4 does */
    if (!y) return LOGREG_ERR_NOMEM;
    for (c = 0; c < K && st == LOGREG_OK; c++) {
        for (i = 0; i < n; i++) y[i] = (size_t)cls[i] == c ? 1.0f : 0.0f;
        st = logreg_train(X, n, m, ld, y, opt, W + c * m, B + c, reports ? reports + c : NULL);
    }
    LOGREG_FREE(y);
    return st;
}

/* The argmax over c < V of W_c·x + B_c (first on ties); V if a score is not finite. Scores
   are compared before the sigmoid, which would round large ones to the same 1.0f. */
static size_t logreg__argmax_row(const float *x, size_t m, const float *W, const float *B,
                                 size_t V) {
    double best = 0.0;
    size_t c, arg = 0;
    for (c = 0; c < V; c++) {
        double z = logreg__scalar_dot(x, W + c * m, m, B[c]);
        if (!logreg__finite_d(z)) return V;
        if (c == 0 || z > best) best = z, arg = c;
    }
    return arg;
}

LOGREG_API logreg_status logreg_predict_class(const float *X, size_t n, size_t m, size_t ld,
                                              const float *W, const float *B, size_t K,
                                              size_t *cls) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    size_t i;
    if (st != LOGREG_OK) return st;
    if (K == 0 || !W || !B || (n > 0 && !cls) || K > SIZE_MAX / sizeof(float) / m)
        return LOGREG_ERR_ARG;
    if (!logreg__all_finite(W, K * m) || !logreg__all_finite(B, K)) return LOGREG_ERR_NONFINITE;
    for (i = 0; i < n; i++) {
        size_t c = logreg__argmax_row(X + i * ld, m, W, B, K);
        if (c == K) return LOGREG_ERR_NONFINITE;
        cls[i] = c;
    }
    return LOGREG_OK;
}
