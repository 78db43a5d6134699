/* The scalar reference path: portable C, every value computed in double and rounded once.
   Every SIMD path is tested against it; it is also what runs on a CPU with no SIMD path. */
#include "common.h"

/* Bits the drivers turn into LOGREG_ERR_NONFINITE / _LABEL / _ARG. Tested on the bits: the
   kernels run with denormals read as zero, where -1e-40f < 0 is false (-0 is zero, though). */
LOGREG__INLINE unsigned logreg__label_flags(float y) {
    uint32_t u = logreg__bits(y);
    if (!logreg__finite(y)) return LOGREG__BAD_Y;
    return u > LOGREG__ONE_BITS && u != 0x80000000u ? LOGREG__BAD_LABEL : 0u; /* above 1, or negative */
}
LOGREG__INLINE unsigned logreg__weight_flags(float sw) {
    if (!logreg__finite(sw)) return LOGREG__BAD_SW;
    return logreg__bits(sw) > 0x80000000u ? LOGREG__NEG_SW : 0u;
}

/* The same, for a block in which a vector test saw a problem. */
LOGREG__UNUSED static unsigned logreg__label_block_flags(const float *y, size_t n) {
    unsigned bad = 0;
    size_t i;
    for (i = 0; i < n; i++) bad |= logreg__label_flags(y[i]);
    return bad;
}
LOGREG__UNUSED static unsigned logreg__weight_block_flags(const float *sw, size_t n) {
    unsigned bad = 0;
    size_t i;
    for (i = 0; i < n; i++) bad |= logreg__weight_flags(sw[i]);
    return bad;
}

LOGREG__INLINE double logreg__scalar_sigmoid1(double z) { return 1.0 / (1.0 + exp(-z)); }

/* σ(z) - y from e = e^-|z| and s = σ(-|z|) = e/(1+e): no cancellation when σ ≈ y. */
LOGREG__INLINE double logreg__scalar_residual1(double z, double e, double y) {
    double s = e / (1.0 + e);
    return z < 0.0 ? s - y : (1.0 - y) - s;
}
/* The loss from z (see common.h): ln(1+e) + |z| (z >= 0 ? 1-y : y). */
LOGREG__INLINE double logreg__scalar_bce(double z, double e, double y) {
    return log1p(e) + fabs(z) * (z >= 0.0 ? 1.0 - y : y);
}

LOGREG__INLINE double logreg__scalar_dot(const float *x, const float *w, size_t m, float b) {
    double s = b;
    size_t j;
    for (j = 0; j < m; j++) s += (double)x[j] * (double)w[j];
    return s;
}

static void logreg__scalar_sigmoid(const float *z, float *a, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) a[i] = (float)logreg__scalar_sigmoid1((double)z[i]);
}

static unsigned logreg__scalar_residual(const float *X, size_t n, size_t m, size_t ld,
                                        const float *w, float b, const float *y, float *r) {
    unsigned bad = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double z = logreg__scalar_dot(X + i * ld, w, m, b);
        if (!(fabs(z) <= FLT_MAX)) bad |= LOGREG__BAD_Z; /* NaN, or what a float z would overflow to */
        bad |= logreg__label_flags(y[i]);
        r[i] = (float)logreg__scalar_residual1(z, exp(-fabs(z)), (double)y[i]);
    }
    return bad;
}

static void logreg__scalar_grad_accumulate(const float *X, size_t n, size_t m, size_t ld,
                                           const float *r, float *acc) {
    size_t i, j;
    for (i = 0; i < n; i++) {
        const float *x = X + i * ld;
        double ri = r[i];
        for (j = 0; j < m; j++) acc[j] = (float)((double)acc[j] + ri * (double)x[j]);
    }
}

static unsigned logreg__scalar_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                         const float *y, const float *sw, const float *w, float b,
                                         int want_loss, float *acc, double s[3], const float *next) {
    unsigned bad = 0;
    size_t i, j;
    (void)next;
    for (i = 0; i < n; i++) {
        const float *x = X + i * ld;
        double z = logreg__scalar_dot(x, w, m, b);
        double wi = sw ? (double)sw[i] : 1.0, e = exp(-fabs(z));
        double r = wi * logreg__scalar_residual1(z, e, (double)y[i]);
        if (!(fabs(z) <= FLT_MAX)) bad |= LOGREG__BAD_Z; /* NaN, or what a float z would overflow to */
        bad |= logreg__label_flags(y[i]);
        if (sw) bad |= logreg__weight_flags(sw[i]);
        if (want_loss) s[0] += wi * logreg__scalar_bce(z, e, (double)y[i]);
        s[1] += r;
        s[2] += wi;
        for (j = 0; j < m; j++) acc[j] = (float)((double)acc[j] + r * (double)x[j]);
    }
    return bad;
}

static unsigned logreg__scalar_predict_proba(const float *X, size_t n, size_t m, size_t ld,
                                             const float *w, float b, float *p) {
    unsigned bad = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double z = logreg__scalar_dot(X + i * ld, w, m, b);
        if (!(fabs(z) <= FLT_MAX)) bad |= LOGREG__BAD_Z; /* NaN, or what a float z would overflow to */
        p[i] = (float)logreg__scalar_sigmoid1(z);
    }
    return bad;
}

static const logreg__kernels logreg__scalar_kernels = {
    LOGREG_ISA_SCALAR,
    logreg__scalar_sigmoid,
    logreg__scalar_residual,
    logreg__scalar_grad_accumulate,
    logreg__scalar_loss_grad,
    logreg__scalar_predict_proba,
};
