/* logreg_train: the seeds' GD step by hand, every solver against the optimum of a
   double-precision Newton solver (real and synthetic data), callbacks, warm start, stop
   reasons, SGD determinism, divergence, sample weights. */
#define _POSIX_C_SOURCE 200809L
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "harness.h"
#include "ref.h"
#include "synth.h"

#include <time.h>

static const char *path(void) { return logreg_isa_name(logreg_isa_active()); }

/* One step of the seeds' update on 3 rows, 2 features, worked out here term by term. */
static void test_gd_step_by_hand(void) {
    const float X[6] = {1.0f, 2.0f, 3.0f, -1.0f, -2.0f, 0.5f}, y[3] = {1, 0, 1};
    float w[2] = {0.1f, -0.2f}, b = 0.05f;
    double z0 = 0.1 * 1 + -0.2 * 2 + 0.05, z1 = 0.1 * 3 + -0.2 * -1 + 0.05, z2 = 0.1 * -2 + -0.2 * 0.5 + 0.05;
    double a0 = 1 / (1 + exp(-z0)), a1 = 1 / (1 + exp(-z1)), a2 = 1 / (1 + exp(-z2));
    double dw0 = ((a0 - 1) * 1 + (a1 - 0) * 3 + (a2 - 1) * -2) / 3;
    double dw1 = ((a0 - 1) * 2 + (a1 - 0) * -1 + (a2 - 1) * 0.5) / 3;
    double db = ((a0 - 1) + (a1 - 0) + (a2 - 1)) / 3, alpha = 0.5;
    double J1;
    logreg_options o;
    logreg_report rep;
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_GD;
    o.learning_rate = 0.5f;
    o.max_iter = 1;
    CHECK(logreg_train(X, 3, 2, 2, y, &o, w, &b, &rep) == LOGREG_OK, "%s: GD step failed", path());
    CHECK(fabs(w[0] - (0.1 - alpha * dw0)) < 1e-6 && fabs(w[1] - (-0.2 - alpha * dw1)) < 1e-6 &&
              fabs(b - (0.05 - alpha * db)) < 1e-6,
          "%s: GD step: got w = (%.7f, %.7f), b = %.7f; by hand (%.7f, %.7f), %.7f", path(), w[0], w[1], b,
          0.1 - alpha * dw0, -0.2 - alpha * dw1, 0.05 - alpha * db);
    { /* the loss it reports is the loss at the new point */
        double wn[2] = {w[0], w[1]};
        J1 = ref_loss_grad(X, 3, 2, 2, y, NULL, wn, b, 0.0, NULL);
        CHECK(rep.iterations == 1 && rep.stop == LOGREG_STOP_MAX_ITER && fabs(rep.loss - J1) < 1e-6,
              "%s: GD report: %zu iterations, stop %d, loss %.8f vs %.8f", path(), rep.iterations, rep.stop, rep.loss, J1);
    }
    { /* with l2: w <- w - alpha (dJ/dw + l2 w), bias unregularized */
        float w2[2] = {0.1f, -0.2f}, b2 = 0.05f;
        o.l2 = 0.25f;
        logreg_train(X, 3, 2, 2, y, &o, w2, &b2, NULL);
        CHECK(fabs(w2[0] - (0.1 - alpha * (dw0 + 0.25 * 0.1))) < 1e-6 &&
                  fabs(w2[1] - (-0.2 - alpha * (dw1 + 0.25 * -0.2))) < 1e-6 && fabs(b2 - (0.05 - alpha * db)) < 1e-6,
              "%s: GD step with l2 differs from the hand computation", path());
    }
}

typedef struct data {
    const char *name;
    float *X, *y, *sw;
    size_t n, m;
    double l2;
} data;

/* Trains with `o` from zero and compares with the Newton optimum J*, theta*. */
static void converge(const data *d, logreg_options o, const char *solver, double jtol, double wtol) {
    size_t j, m = d->m;
    float *w = (float *)calloc(m, sizeof(float)), b = 0;
    double *theta = (double *)calloc(m + 1, sizeof(double)), Jstar, J, dw = 0;
    logreg_report rep;
    logreg_status st;
    Jstar = ref_newton(d->X, d->n, m, m, d->y, d->sw, d->l2, theta);
    o.l2 = (float)d->l2;
    o.sample_weight = d->sw;
    st = logreg_train(d->X, d->n, m, m, d->y, &o, w, &b, &rep);
    {
        double *wd = (double *)malloc(m * sizeof(double));
        for (j = 0; j < m; j++) wd[j] = w[j], dw = fabs(w[j] - theta[j]) > dw ? fabs(w[j] - theta[j]) : dw;
        J = ref_loss_grad(d->X, d->n, m, m, d->y, d->sw, wd, b, (float)d->l2, NULL);
        free(wd);
    }
    dw = fabs(b - theta[m]) > dw ? fabs(b - theta[m]) : dw;
    CHECK(st == LOGREG_OK && (J - Jstar) <= jtol * Jstar && dw <= wtol,
          "%s %s on %s: status %s, J - J* = %.3g (rel %.3g, limit %.1g), |theta - theta*| = %.3g (limit %.1g), "
          "%zu iterations, stop: %s",
          path(), solver, d->name, logreg_status_string(st), J - Jstar, (J - Jstar) / Jstar, jtol, dw, wtol,
          rep.iterations, logreg_stop_string(rep.stop));
    free(w), free(theta);
}

static void test_solvers(const data *d, int all) {
    logreg_options o;
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_DEFAULT;
    converge(d, o, "L-BFGS (default)", 1e-7, 2e-3);
    if (!all) return;
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_GD;
    o.learning_rate = 0.25f;
    o.max_iter = 20000;
    o.tol = 1e-6;
    converge(d, o, "GD", 1e-6, 2e-2);
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_SGD;
    o.learning_rate = 0.5f;
    o.batch_size = 32;
    o.max_iter = 300;
    o.seed = 42;
    converge(d, o, "SGD", 1e-4, 0.1);
}

static int count_calls(const logreg_progress *p, void *user) {
    int *k = (int *)user;
    (*k)++;
    return p->iter == 3 && k[1]; /* k[1]: stop at iteration 3 */
}

static void test_protocol(const data *d) {
    size_t m = d->m, j;
    float *w = (float *)calloc(m, sizeof(float)), *w2 = (float *)calloc(m, sizeof(float)), b = 0, b2;
    int calls[2] = {0, 0};
    logreg_options o;
    logreg_report rep;
    memset(&o, 0, sizeof o);
    o.l2 = (float)d->l2;
    o.progress = count_calls;
    o.user = calls;
    CHECK(logreg_train(d->X, d->n, m, m, d->y, &o, w, &b, &rep) == LOGREG_OK && rep.stop == LOGREG_STOP_CONVERGED &&
              rep.grad_norm <= 1e-6 && (size_t)calls[0] == rep.iterations && rep.iterations > 0,
          "%s: progress called %d times for %zu iterations (stop: %s, |g| %.2g)", path(), calls[0], rep.iterations,
          logreg_stop_string(rep.stop), rep.grad_norm);
    /* warm start from the optimum: nothing left to do */
    memcpy(w2, w, m * sizeof(float)), b2 = b, calls[0] = 0;
    CHECK(logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, &rep) == LOGREG_OK && rep.iterations == 0 &&
              rep.stop == LOGREG_STOP_CONVERGED && calls[0] == 0 && memcmp(w, w2, m * sizeof(float)) == 0,
          "%s: warm start at the optimum took %zu iterations", path(), rep.iterations);
    /* the callback stops it cleanly at iteration 3 */
    memset(w2, 0, m * sizeof(float)), b2 = 0, calls[0] = 0, calls[1] = 1;
    CHECK(logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, &rep) == LOGREG_OK && rep.iterations == 3 &&
              rep.stop == LOGREG_STOP_CALLBACK && calls[0] == 3,
          "%s: callback stop: %zu iterations, stop %s", path(), rep.iterations, logreg_stop_string(rep.stop));
    { /* what it returned is the iterate it reported */
        double *wd = (double *)malloc(m * sizeof(double)), J;
        for (j = 0; j < m; j++) wd[j] = w2[j];
        J = ref_loss_grad(d->X, d->n, m, m, d->y, NULL, wd, b2, (float)d->l2, NULL);
        CHECK(fabs(J - rep.loss) <= 1e-6 * J, "%s: reported loss %.9g, loss of the returned w %.9g", path(), rep.loss, J);
        free(wd);
    }
    /* max_iter */
    memset(w2, 0, m * sizeof(float)), b2 = 0, calls[1] = 0;
    o.max_iter = 2;
    CHECK(logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, &rep) == LOGREG_OK && rep.iterations == 2 &&
              rep.stop == LOGREG_STOP_MAX_ITER,
          "%s: max_iter 2: %zu iterations, stop %s", path(), rep.iterations, logreg_stop_string(rep.stop));
    /* asking for more than float can give ends cleanly, near the optimum */
    memset(w2, 0, m * sizeof(float)), b2 = 0;
    o.max_iter = 100000, o.tol = 1e-300, o.progress = NULL;
    CHECK(logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, &rep) == LOGREG_OK && rep.stop == LOGREG_STOP_STALLED &&
              rep.grad_norm < 1e-5,
          "%s: tol 1e-300: stop %s after %zu iterations, |g| %.3g", path(), logreg_stop_string(rep.stop),
          rep.iterations, rep.grad_norm);
    /* SGD is deterministic for a seed and depends on it */
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_SGD, o.max_iter = 3, o.seed = 7;
    memset(w, 0, m * sizeof(float)), b = 0;
    memset(w2, 0, m * sizeof(float)), b2 = 0;
    logreg_train(d->X, d->n, m, m, d->y, &o, w, &b, NULL);
    logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, NULL);
    CHECK(memcmp(w, w2, m * sizeof(float)) == 0 && b == b2, "%s: SGD with one seed gave two results", path());
    o.seed = 8;
    memset(w2, 0, m * sizeof(float)), b2 = 0;
    logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, NULL);
    CHECK(memcmp(w, w2, m * sizeof(float)) != 0, "%s: SGD ignores its seed", path());
    /* divergence: w and b keep the last finite iterate */
    memset(&o, 0, sizeof o);
    o.solver = LOGREG_SOLVER_GD, o.learning_rate = 1e30f, o.l2 = 1.0f, o.max_iter = 50; /* w *= about -1e30 a step */
    memset(w2, 0, m * sizeof(float)), b2 = 0;
    {
        logreg_status st = logreg_train(d->X, d->n, m, m, d->y, &o, w2, &b2, &rep);
        int finite = b2 == b2 && fabs(b2) <= FLT_MAX;
        for (j = 0; j < m; j++) finite &= w2[j] == w2[j] && fabs(w2[j]) <= FLT_MAX;
        CHECK(st == LOGREG_ERR_DIVERGED && finite, "%s: learning rate 1e30: %s, w finite: %d", path(),
              logreg_status_string(st), finite);
    }
    free(w), free(w2);
}

/* Integer sample weights train the same model as repeating the rows. */
static void test_weights_as_repeats(const data *d) {
    size_t n = 200, m = d->m, i, k, rows = 0, j;
    float *sw = (float *)malloc(n * sizeof(float)), *Xr = (float *)malloc(3 * n * m * sizeof(float));
    float *yr = (float *)malloc(3 * n * sizeof(float)), *w1 = (float *)calloc(m, sizeof(float));
    float *w2 = (float *)calloc(m, sizeof(float)), b1 = 0, b2 = 0, dw = 0;
    logreg_options o;
    for (i = 0; i < n; i++) {
        sw[i] = (float)(i % 4); /* 0 drops the row */
        for (k = 0; k < (size_t)sw[i]; k++, rows++) {
            memcpy(Xr + rows * m, d->X + i * m, m * sizeof(float));
            yr[rows] = d->y[i];
        }
    }
    memset(&o, 0, sizeof o);
    o.l2 = 0.01f;
    o.sample_weight = sw;
    logreg_train(d->X, n, m, m, d->y, &o, w1, &b1, NULL);
    o.sample_weight = NULL;
    logreg_train(Xr, rows, m, m, yr, &o, w2, &b2, NULL);
    for (j = 0; j < m; j++) dw = fabsf(w1[j] - w2[j]) > dw ? fabsf(w1[j] - w2[j]) : dw;
    CHECK(dw < 1e-4f && fabsf(b1 - b2) < 1e-4f, "%s: weights 0..3 vs repeated rows: |dw| = %g, |db| = %g", path(), dw,
          fabsf(b1 - b2));
    free(sw), free(Xr), free(yr), free(w1), free(w2);
}

/* Fashion-MNIST, first 10^4 images, 2x2-pooled centre 20x20 = 100 features, standardized. */
static int load_fashion(float **X, float **y, size_t *n, size_t *m) {
    FILE *fi = fopen("build/data/train-images-idx3-ubyte", "rb"), *fl = fopen("build/data/train-labels-idx1-ubyte", "rb");
    unsigned char head[16], *img = (unsigned char *)malloc(784), lab;
    size_t i, r, c, N = 10000;
    if (!fi || !fl) {
        if (fi) fclose(fi);
        if (fl) fclose(fl);
        free(img);
        return 0;
    }
    *X = (float *)malloc(N * 100 * sizeof(float));
    *y = (float *)malloc(N * sizeof(float));
    for (i = 0; i < N; i++) {
        if ((i == 0 && (fread(head, 1, 16, fi) != 16 || fread(head, 1, 8, fl) != 8)) ||
            fread(img, 1, 784, fi) != 784 || fread(&lab, 1, 1, fl) != 1) {
            fclose(fi), fclose(fl), free(img), free(*X), free(*y);
            return 0;
        }
        for (r = 0; r < 10; r++)
            for (c = 0; c < 10; c++) {
                size_t y0 = 4 + 2 * r, x0 = 4 + 2 * c;
                (*X)[i * 100 + r * 10 + c] = (img[y0 * 28 + x0] + img[y0 * 28 + x0 + 1] + img[(y0 + 1) * 28 + x0] +
                                              img[(y0 + 1) * 28 + x0 + 1]) / (4.0f * 255.0f);
            }
        (*y)[i] = lab == 0;
    }
    fclose(fi), fclose(fl), free(img);
    *n = N, *m = 100;
    ref_standardize(*X, N, 100, 100);
    return 1;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
    data wdbc, synth, fashion;
    int isa, have_fashion;
    size_t i;
    memset(&wdbc, 0, sizeof wdbc);
    memset(&synth, 0, sizeof synth);
    memset(&fashion, 0, sizeof fashion);
    if (!ref_load_wdbc("examples/data/wdbc.csv", &wdbc.X, &wdbc.y, &wdbc.n, &wdbc.m)) {
        CHECK(0, "cannot read examples/data/wdbc.csv (run from the repository root)");
        return test_finish();
    }
    ref_standardize(wdbc.X, wdbc.n, wdbc.m, wdbc.m);
    wdbc.name = "WDBC 569x30, lambda 1e-2";
    wdbc.l2 = 1e-2;
    synth.name = "synthetic 3000x20 weighted, lambda 1e-3";
    synth.n = 3000, synth.m = 20, synth.l2 = 1e-3;
    synth.X = (float *)malloc(synth.n * synth.m * sizeof(float));
    synth.y = (float *)malloc(synth.n * sizeof(float));
    synth.sw = (float *)malloc(synth.n * sizeof(float));
    synth_make(synth.n, synth.m, synth.m, 42, synth.X, synth.y, NULL);
    for (i = 0; i < synth.n; i++) synth.sw[i] = 0.5f + (float)(i % 5) * 0.25f;
    have_fashion = load_fashion(&fashion.X, &fashion.y, &fashion.n, &fashion.m);
    fashion.name = "Fashion-MNIST 10^4 x 100, lambda 1/n";
    fashion.l2 = 1.0 / 10000;

    for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
        if (!test_wants(argc, argv, logreg_isa_name((logreg_isa)isa))) continue;
        if (logreg_isa_select((logreg_isa)isa) != LOGREG_OK) continue;
        printf("path %s\n", path());
        test_gd_step_by_hand();
        test_solvers(&wdbc, 1);
        test_solvers(&synth, isa != LOGREG_ISA_SCALAR);
        test_protocol(&wdbc);
        test_weights_as_repeats(&wdbc);
        if (have_fashion) {
            float *w = (float *)calloc(100, sizeof(float)), b = 0;
            logreg_options o;
            logreg_report rep;
            double t0 = seconds();
            memset(&o, 0, sizeof o);
            o.l2 = (float)fashion.l2;
            logreg_train(fashion.X, fashion.n, 100, 100, fashion.y, &o, w, &b, &rep);
            printf("  %s: L-BFGS to |g| <= 1e-6: %zu iterations, %.3f s, J = %.10f\n", fashion.name, rep.iterations,
                   seconds() - t0, rep.loss);
            CHECK(rep.stop == LOGREG_STOP_CONVERGED && rep.grad_norm <= 1e-6, "%s: %s: stop %s, |g| %.3g", path(),
                  fashion.name, logreg_stop_string(rep.stop), rep.grad_norm);
            test_solvers(&fashion, 0);
            free(w);
        }
    }
    if (!have_fashion) printf("SKIP: Fashion-MNIST (build/data/*-idx*-ubyte) not found: real-data 10^4 x 100 test skipped\n");
    free(wdbc.X), free(wdbc.y), free(synth.X), free(synth.y), free(synth.sw);
    if (have_fashion) free(fashion.X), free(fashion.y);
    return test_finish();
}
