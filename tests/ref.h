/* Independent double-precision references for the tests: sigmoid, BCE, loss and gradient, a
   Newton solver for the optimum, and loaders for the bundled real data. None of it calls the
   library. */
#ifndef LOGREG_TEST_REF_H
#define LOGREG_TEST_REF_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline double ref_sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    return exp(z) / (1.0 + exp(z));
}

/* σ(z) - y without cancellation: 1 - σ(z) = σ(-z) */
static inline double ref_residual(double z, double y) {
    return z >= 0 ? (1 - y) - ref_sigmoid(-z) : ref_sigmoid(z) - y;
}

/* -y ln σ(z) - (1-y) ln(1-σ(z)), with ln σ(z) = -ln(1+e^-z) written out per sign of z */
static inline double ref_bce(double z, double y) {
    if (z >= 0) return y * log1p(exp(-z)) + (1 - y) * (z + log1p(exp(-z)));
    return y * (-z + log1p(exp(z))) + (1 - y) * log1p(exp(z));
}

static inline double ref_dot(const float *x, const float *w, size_t m, double b) {
    double s = b;
    size_t j;
    for (j = 0; j < m; j++) s += (double)x[j] * w[j];
    return s;
}

/* Weighted mean BCE + (l2/2)|w|^2 and its gradient g (m+1, bias last), in double. */
static inline double ref_loss_grad(const float *X, size_t n, size_t m, size_t ld, const float *y,
                            const float *sw, const double *w, double b, double l2, double *g) {
    double J = 0, W = 0;
    size_t i, j;
    if (g) memset(g, 0, (m + 1) * sizeof(double));
    for (i = 0; i < n; i++) {
        const float *x = X + i * ld;
        double z = b, wi = sw ? sw[i] : 1.0, r;
        for (j = 0; j < m; j++) z += (double)x[j] * w[j];
        J += wi * ref_bce(z, y[i]);
        W += wi;
        r = wi * ref_residual(z, y[i]);
        if (g) {
            for (j = 0; j < m; j++) g[j] += r * x[j];
            g[m] += r;
        }
    }
    J /= W;
    if (g)
        for (j = 0; j <= m; j++) g[j] /= W;
    for (j = 0; j < m; j++) {
        J += 0.5 * l2 * w[j] * w[j];
        if (g) g[j] += l2 * w[j];
    }
    return J;
}

/* Solves H x = v in place for symmetric positive definite H (d x d) by Cholesky. */
static inline int ref_cholesky_solve(double *H, double *v, size_t d) {
    size_t i, j, k;
    for (j = 0; j < d; j++) {
        double s = H[j * d + j];
        for (k = 0; k < j; k++) s -= H[j * d + k] * H[j * d + k];
        if (!(s > 0)) return 0;
        H[j * d + j] = sqrt(s);
        for (i = j + 1; i < d; i++) {
            double t = H[i * d + j];
            for (k = 0; k < j; k++) t -= H[i * d + k] * H[j * d + k];
            H[i * d + j] = t / H[j * d + j];
        }
    }
    for (i = 0; i < d; i++) {
        double t = v[i];
        for (k = 0; k < i; k++) t -= H[i * d + k] * v[k];
        v[i] = t / H[i * d + i];
    }
    for (i = d; i-- > 0;) {
        double t = v[i];
        for (k = i + 1; k < d; k++) t -= H[k * d + i] * v[k];
        v[i] = t / H[i * d + i];
    }
    return 1;
}

/* The optimum of the l2-regularized objective by damped Newton in double; theta (m+1) in/out.
   Returns the optimal J. */
static inline double ref_newton(const float *X, size_t n, size_t m, size_t ld, const float *y,
                         const float *sw, double l2, double *theta) {
    size_t d = m + 1, i, j, k, it;
    double *H = (double *)malloc(d * d * sizeof(double)), *g = (double *)malloc(d * sizeof(double));
    double *step = (double *)malloc(d * sizeof(double)), *trial = (double *)malloc(d * sizeof(double));
    double J = ref_loss_grad(X, n, m, ld, y, sw, theta, theta[m], l2, g);
    for (it = 0; it < 100; it++) {
        double W = 0, gn = 0, t = 1;
        for (j = 0; j < d; j++) gn = fabs(g[j]) > gn ? fabs(g[j]) : gn;
        if (gn < 1e-13) break;
        memset(H, 0, d * d * sizeof(double));
        for (i = 0; i < n; i++) {
            const float *x = X + i * ld;
            double wi = sw ? sw[i] : 1.0, a, s, z = theta[m];
            for (j = 0; j < m; j++) z += (double)x[j] * theta[j];
            a = ref_sigmoid(z);
            s = wi * a * (1 - a);
            W += wi;
            for (j = 0; j < m; j++) {
                for (k = 0; k <= j; k++) H[j * d + k] += s * x[j] * x[k];
                H[m * d + j] += s * x[j];
            }
            H[m * d + m] += s;
        }
        for (j = 0; j < d; j++)
            for (k = 0; k <= j; k++) {
                H[j * d + k] /= W;
                H[k * d + j] = H[j * d + k];
            }
        for (j = 0; j < m; j++) H[j * d + j] += l2;
        for (j = 0; j < d; j++) step[j] = g[j];
        if (!ref_cholesky_solve(H, step, d)) break;
        for (;;) { /* backtracking on J */
            double Jt;
            for (j = 0; j < d; j++) trial[j] = theta[j] - t * step[j];
            Jt = ref_loss_grad(X, n, m, ld, y, sw, trial, trial[m], l2, NULL);
            if (Jt <= J || t < 1e-10) break;
            t *= 0.5;
        }
        memcpy(theta, trial, d * sizeof(double));
        J = ref_loss_grad(X, n, m, ld, y, sw, theta, theta[m], l2, g);
    }
    free(H), free(g), free(step), free(trial);
    return J;
}

/* examples/data/wdbc.csv: a header line, then label,30 features per line. */
static inline int ref_load_wdbc(const char *path, float **X, float **y, size_t *n, size_t *m) {
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t cap = 1024, rows = 0, j;
    if (!f) return 0;
    *m = 30;
    *X = (float *)malloc(cap * 30 * sizeof(float));
    *y = (float *)malloc(cap * sizeof(float));
    if (!fgets(line, sizeof line, f)) return fclose(f), 0;
    while (fgets(line, sizeof line, f) && rows < cap) {
        char *p = line, *end;
        (*y)[rows] = strtof(p, &end);
        for (j = 0; j < 30; j++) {
            p = end + 1;
            (*X)[rows * 30 + j] = strtof(p, &end);
        }
        rows++;
    }
    fclose(f);
    *n = rows;
    return rows == 569;
}

/* Column-wise standardization to mean 0, variance 1, in place. */
static inline void ref_standardize(float *X, size_t n, size_t m, size_t ld) {
    size_t i, j;
    for (j = 0; j < m; j++) {
        double mu = 0, var = 0;
        for (i = 0; i < n; i++) mu += X[i * ld + j];
        mu /= (double)n;
        for (i = 0; i < n; i++) var += (X[i * ld + j] - mu) * (X[i * ld + j] - mu);
        var = var > 0 ? sqrt(var / (double)n) : 1.0;
        for (i = 0; i < n; i++) X[i * ld + j] = (float)((X[i * ld + j] - mu) / var);
    }
}

/* Error of a float result in units in the last place of the double reference. */
static inline double ref_ulp_error(float got, double want) {
    int ex;
    if (want == 0) return got == 0 ? 0 : INFINITY;
    frexp(want, &ex);
    return fabs((double)got - want) / ldexp(1.0, ex - 24);
}
#endif
