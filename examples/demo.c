/* make demo: logistic regression on real data, the Wisconsin diagnostic breast-cancer set
   (examples/data/wdbc.csv, 569 x 30, label 1 = malignant). Every fifth row is held out; the
   rest are standardized with their own mean and deviation, trained on with L-BFGS (the
   default solver), and the scaling is folded back so the model takes raw features. Prints the
   loss as it falls and the held-out accuracy. usage: demo [wdbc.csv] */
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include "dataio.h"

#include <stdio.h>

static int show(const logreg_progress *p, void *user) {
    (void)user;
    printf("  iter %3zu   loss %.8f   max|grad| %.2e   %6.2f ms\n", p->iter, p->loss, p->grad_norm, 1e3 * p->seconds);
    return 0;
}

/* Fraction of rows whose predicted class (p >= 0.5) matches the label. */
static double accuracy(const float *X, const float *y, size_t n, size_t m, const float *w, float b) {
    float *p = (float *)malloc(n * sizeof(float));
    size_t i, right = 0;
    logreg_predict_proba(X, n, m, m, w, b, p);
    for (i = 0; i < n; i++) right += (p[i] >= 0.5f) == (y[i] >= 0.5f);
    free(p);
    return (double)right / (double)n;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/data/wdbc.csv";
    data_spec spec;
    dataset d;
    char err[256];
    float *Xtr, *Xte, *ytr, *yte, *mean, *scale, *w, b = 0.0f;
    size_t i, ntr = 0, nte = 0, m;
    logreg_options opt;
    logreg_report rep;
    logreg_status st;

    memset(&spec, 0, sizeof spec);
    memset(&d, 0, sizeof d);
    spec.format = DATA_CSV;
    if (!data_load(path, &spec, &d, err, sizeof err)) {
        fprintf(stderr, "demo: %s\n", err);
        return 1;
    }
    m = d.m;
    Xtr = (float *)malloc(d.n * m * sizeof(float)), Xte = (float *)malloc(d.n * m * sizeof(float));
    ytr = (float *)malloc(d.n * sizeof(float)), yte = (float *)malloc(d.n * sizeof(float));
    mean = (float *)malloc(m * sizeof(float)), scale = (float *)malloc(m * sizeof(float));
    w = (float *)calloc(m, sizeof(float));
    for (i = 0; i < d.n; i++) { /* every fifth row is held out */
        int test = i % 5 == 4;
        memcpy((test ? Xte + nte * m : Xtr + ntr * m), d.X + i * m, m * sizeof(float));
        if (test) yte[nte++] = (float)d.y[i];
        else ytr[ntr++] = (float)d.y[i];
    }
    printf("%s: %zu rows x %zu features; training on %zu, holding out %zu; path: %s\n", path, d.n, m, ntr, nte,
           logreg_isa_name(logreg_isa_active()));

    logreg_column_stats(Xtr, ntr, m, m, mean, scale);
    logreg_standardize(Xtr, ntr, m, m, mean, scale);
    memset(&opt, 0, sizeof opt);
    opt.l2 = 1e-2f; /* J = mean BCE + (0.01/2)|w|^2 */
    opt.progress = show;
    printf("L-BFGS, l2 = %g, standardized features:\n", opt.l2);
    st = logreg_train(Xtr, ntr, m, m, ytr, &opt, w, &b, &rep);
    if (st != LOGREG_OK) {
        fprintf(stderr, "demo: training failed: %s\n", logreg_status_string(st));
        return 1;
    }
    printf("%s after %zu iterations, %.2f ms: loss %.8f, max|grad| %.2e\n", logreg_stop_string(rep.stop),
           rep.iterations, 1e3 * rep.seconds, rep.loss, rep.grad_norm);
    printf("training accuracy %.2f%%\n", 100.0 * accuracy(Xtr, ytr, ntr, m, w, b));

    logreg_fold_scaling(w, &b, m, mean, scale); /* the model now takes raw features */
    printf("held-out accuracy %.2f%% (%zu rows, raw features)\n", 100.0 * accuracy(Xte, yte, nte, m, w, b), nte);
    free(Xtr), free(Xte), free(ytr), free(yte), free(mean), free(scale), free(w);
    data_free(&d);
    return 0;
}
