/* Standardization: column means and standard deviations in one pass, the scaling applied in
   place, and folded back into a model so that it takes raw features. */
#include "dispatch.h"

LOGREG_API logreg_status logreg_column_stats(const float *X, size_t n, size_t m, size_t ld,
                                             float *mean, float *scale) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    double *mu, *m2;
    size_t i, j;
    if (st != LOGREG_OK) return st;
    if (n == 0 || !mean || !scale) return LOGREG_ERR_ARG;
    if (m > SIZE_MAX / (2 * sizeof(double))) return LOGREG_ERR_NOMEM;
    mu = (double *)LOGREG_MALLOC(2 * m * sizeof(double));
    if (!mu) return LOGREG_ERR_NOMEM;
    m2 = mu + m;
    for (j = 0; j < m; j++) mu[j] = m2[j] = 0.0;
    /* Welford: after row i, mu = the mean of rows 0..i and m2 = the sum of squared deviations
       from it; no cancellation, unlike sum(x^2) - n mean^2. NaN/Inf in X propagate to mu, m2. */
    for (i = 0; i < n; i++) {
        const float *x = X + i * ld;
        double inv = 1.0 / (double)(i + 1);
        for (j = 0; j < m; j++) {
            double d = (double)x[j] - mu[j];
            mu[j] += d * inv;
            m2[j] += d * ((double)x[j] - mu[j]);
        }
    }
    for (j = 0; j < m && st == LOGREG_OK; j++) {
        double sd = sqrt(m2[j] / (double)n);
        if (!logreg__finite_d(mu[j]) || !logreg__finite_d(sd) || sd > FLT_MAX) st = LOGREG_ERR_NONFINITE;
    }
    if (st == LOGREG_OK)
        for (j = 0; j < m; j++) {
            float sd = (float)sqrt(m2[j] / (double)n);
            mean[j] = (float)mu[j];
            scale[j] = sd > 0.0f ? sd : 1.0f; /* constant column (or sd below float range) */
        }
    LOGREG_FREE(mu);
    return st;
}

/* mean finite, scale finite and > 0: the scaling of column j is well defined. */
static logreg_status logreg__check_scaling(const float *mean, const float *scale, size_t m) {
    size_t j;
    if (!mean || !scale) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(mean, m) || !logreg__all_finite(scale, m)) return LOGREG_ERR_NONFINITE;
    for (j = 0; j < m; j++)
        if (!(scale[j] > 0.0f)) return LOGREG_ERR_ARG;
    return LOGREG_OK;
}

LOGREG_API logreg_status logreg_standardize(float *X, size_t n, size_t m, size_t ld,
                                            const float *mean, const float *scale) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    size_t i, j;
    if (st == LOGREG_OK) st = logreg__check_scaling(mean, scale, m);
    if (st != LOGREG_OK) return st;
    for (i = 0; i < n; i++) {
        float *x = X + i * ld;
        for (j = 0; j < m; j++) x[j] = (float)(((double)x[j] - mean[j]) / scale[j]);
    }
    return LOGREG_OK;
}

LOGREG_API logreg_status logreg_fold_scaling(float *w, float *b, size_t m, const float *mean,
                                             const float *scale) {
    logreg_status st = logreg__check_scaling(mean, scale, m);
    double shift = 0.0;
    size_t j;
    if (st != LOGREG_OK) return st;
    if (!w || !b || m == 0) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(w, m) || !logreg__finite(*b)) return LOGREG_ERR_NONFINITE;
    for (j = 0; j < m; j++) {
        double wj = (double)w[j] / scale[j];
        if (!logreg__finite((float)wj)) return LOGREG_ERR_NONFINITE;
        shift += wj * mean[j];
    }
    if (!logreg__finite((float)(*b - shift))) return LOGREG_ERR_NONFINITE;
    for (j = 0; j < m; j++) w[j] = (float)((double)w[j] / scale[j]);
    *b = (float)(*b - shift);
    return LOGREG_OK;
}
