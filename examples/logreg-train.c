/* logreg-train: trains a model file from libsvm, CSV or idx data, in the spirit of
   LIBLINEAR's train. Two classes (or -p) give one binary model, more give one-vs-rest.
   Usage: logreg-train [options] train_file [model_file]; run without arguments for the list. */
#define _POSIX_C_SOURCE 200809L
#define LOGREG_IMPLEMENTATION
#include "logreg.h"

#include <unistd.h>

#include "cli.h"

static void usage(void) {
    fputs("usage: logreg-train [options] train_file [model_file]\n"
          "  model_file defaults to the name of train_file without its directory, plus .model\n"
          "  -f libsvm|csv|idx  the format (default: .csv -> csv, a name with idx3 -> idx, else libsvm)\n"
          "  -L labels_file     idx labels (default: train_file with images-idx3 -> labels-idx1)\n"
          "  -y col             CSV label column, from 0 (default 0)\n"
          "  -p K               binary: class K -> 1, every other class -> 0\n"
          "  -s 0|1|2           solver: 0 L-BFGS (default), 1 gradient descent, 2 SGD\n"
          "  -c C               lambda = 1/(C * sum of sample weights), i.e. 1/(C n) unweighted (default C = 1)\n"
          "  -l2 lambda         lambda directly (overrides -c)\n"
          "  -e tol             stop when |grad J|_inf <= tol (default 1e-6)\n"
          "  -n iters           at most this many iterations (epochs for -s 1, 2)\n"
          "  -w<label> weight   weight of that class's rows (e.g. -w1 2.5)\n"
          "  -w balanced        weight of class c's rows = n / (classes * n_c)\n"
          "  -v k               k-fold cross-validation: prints the accuracy, writes no model\n"
          "  -z                 standardize the features, folded back into the saved model\n"
          "  -q                 quiet\n",
          stderr);
    exit(1);
}

/* What the options ask of a training run. */
typedef struct setup {
    logreg_options opt;  /* solver, tol, max_iter */
    double C, l2;        /* l2 < 0: from C */
    int standardize, quiet, progress;
    int balanced;
    class_weight cw[64]; /* -w<label> weight */
    size_t ncw, folds;
} setup;

/* The progress line (stderr is a terminal and not -q); in one-vs-rest the iteration count
   restarting tells that the next class has begun. */
typedef struct progress_state {
    const classes *cl;
    size_t cls, last;
} progress_state;

static int progress(const logreg_progress *p, void *user) {
    progress_state *s = (progress_state *)user;
    char lab[32];
    if (p->iter <= s->last) s->cls++;
    s->last = p->iter;
    if (s->cl->K > 2) fprintf(stderr, "class %s  ", data_label_str(s->cl->label[s->cls], lab));
    fprintf(stderr, "iter %5zu  J %.10f  |grad J|inf %.3e  %8.2f s\n", p->iter, p->loss,
            p->grad_norm, p->seconds);
    return 0;
}

/* Trains V = (K == 2 ? 1 : K) vectors W (V*m), B (V), with reports rep (V), on rows X of
   classes cl->cls: standardized if asked (on a copy), then folded back. *lambda = the λ used. */
static int train_model(const float *X, size_t n, size_t m, const classes *cl, const float *sw,
                       const setup *s, float *W, float *B, logreg_report *rep, double *lambda,
                       char *err, size_t errlen) {
    size_t V = cl->K == 2 ? 1 : cl->K, i, c;
    float *copy = NULL, *mean = NULL, *scale = NULL, *y = NULL;
    const float *data = X;
    double wsum = 0.0;
    logreg_options opt = s->opt;
    progress_state ps;
    logreg_status st = LOGREG_OK;
    if (sw) for (i = 0; i < n; i++) wsum += sw[i];
    else wsum = (double)n;
    *lambda = s->l2 >= 0.0 ? s->l2 : 1.0 / (s->C * wsum);
    opt.l2 = (float)*lambda;
    opt.sample_weight = sw;
    ps.cl = cl, ps.cls = 0, ps.last = 0;
    if (s->progress) opt.progress = progress, opt.user = &ps;
    memset(W, 0, V * m * sizeof(float));
    memset(B, 0, V * sizeof(float));
    if (s->standardize) {
        copy = data_floats(n * m);
        mean = (float *)malloc(2 * m * sizeof(float));
        if (!copy || !mean) st = LOGREG_ERR_NOMEM;
        scale = mean + m;
        if (st == LOGREG_OK) {
            memcpy(copy, X, n * m * sizeof(float));
            st = logreg_column_stats(copy, n, m, m, mean, scale);
        }
        if (st == LOGREG_OK) st = logreg_standardize(copy, n, m, m, mean, scale);
        data = copy;
    }
    if (st == LOGREG_OK && V == 1) {
        if (!(y = (float *)malloc(n * sizeof(float)))) st = LOGREG_ERR_NOMEM;
        else {
            for (i = 0; i < n; i++) y[i] = cl->cls[i] == 1 ? 1.0f : 0.0f;
            st = logreg_train(data, n, m, m, y, &opt, W, B, rep);
        }
    } else if (st == LOGREG_OK) {
        st = logreg_train_ovr(data, n, m, m, cl->cls, V, &opt, W, B, rep);
    }
    if (st == LOGREG_OK && s->standardize)
        for (c = 0; c < V && st == LOGREG_OK; c++) st = logreg_fold_scaling(W + c * m, B + c, m, mean, scale);
    data_free_floats(copy);
    free(mean);
    free(y);
    if (st != LOGREG_OK) return data_fail(err, errlen, "training failed: %s", logreg_status_string(st));
    return 1;
}

/* The model of V vectors W, B for the classes of cl (whose labels it borrows). */
static logreg_model make_model(const classes *cl, size_t m, float *W, float *B) {
    logreg_model mo;
    mo.m = m, mo.classes = cl->K, mo.vectors = cl->K == 2 ? 1 : cl->K;
    mo.labels = cl->label, mo.W = W, mo.B = B;
    return mo;
}

/* Rows whose predicted class is their class. */
static size_t count_correct(const logreg_model *mo, const float *X, size_t n, const int *cls,
                            size_t *pred) {
    size_t i, ok = 0;
    if (logreg_model_predict(mo, X, n, mo->m, pred, NULL) != LOGREG_OK) return 0;
    for (i = 0; i < n; i++) ok += pred[i] == (size_t)cls[i];
    return ok;
}

/* k-fold cross-validation over a fixed shuffle of the rows (seed 1): each fold is trained on
   the others, with its own standardization and λ, and predicted. */
static int cross_validate(const dataset *d, const classes *cl, const float *sw, const setup *s,
                          double *accuracy, char *err, size_t errlen) {
    size_t n = d->n, m = d->m, k = s->folds, V = cl->K == 2 ? 1 : cl->K, f, i, correct = 0;
    size_t *perm = (size_t *)malloc(n * sizeof(size_t)), *pred = (size_t *)malloc(n * sizeof(size_t));
    float *X = data_floats(n * m), *w = (float *)malloc(n * sizeof(float));
    float *W = (float *)malloc(V * (m + 1) * sizeof(float));
    int *cls = (int *)malloc(n * sizeof(int)), ok = 1;
    logreg_report *rep = (logreg_report *)malloc(V * sizeof(logreg_report));
    uint64_t r = 1;
    if (!perm || !pred || !X || !w || !W || !cls || !rep) ok = data_fail(err, errlen, "out of memory");
    for (i = 0; ok && i < n; i++) perm[i] = i;
    for (i = n; ok && i > 1; i--) { /* Fisher-Yates with xorshift64 */
        size_t j, t;
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        j = (size_t)(r % i), t = perm[i - 1], perm[i - 1] = perm[j], perm[j] = t;
    }
    for (f = 0; ok && f < k; f++) {
        size_t lo = f * n / k, hi = (f + 1) * n / k, ntr = 0, nte, p;
        classes sub = *cl;
        double lambda;
        logreg_model mo;
        /* the training rows first, then this fold's rows */
        for (p = 0; p < n; p++) {
            size_t row = perm[p], at = p < lo ? p : p >= hi ? p - (hi - lo) : n - (hi - lo) + (p - lo);
            memcpy(X + at * m, d->X + row * m, m * sizeof(float));
            cls[at] = cl->cls[row];
            if (sw) w[at] = sw[row];
            ntr += p < lo || p >= hi;
        }
        nte = n - ntr;
        sub.cls = cls, sub.n = ntr;
        ok = train_model(X, ntr, m, &sub, sw ? w : NULL, s, W, W + V * m, rep, &lambda, err, errlen);
        mo = make_model(cl, m, W, W + V * m);
        if (ok) correct += count_correct(&mo, X + ntr * m, nte, cls + ntr, pred);
    }
    *accuracy = n ? (double)correct / (double)n : 0.0;
    free(perm), free(pred), data_free_floats(X), free(w), free(W), free(cls), free(rep);
    return ok;
}

/* The default model file: train_file without its directory, plus ".model". */
static char *default_model_name(const char *train) {
    const char *base = strrchr(train, '/');
    char *s;
    base = base ? base + 1 : train;
    s = (char *)malloc(strlen(base) + 7);
    if (s) strcpy(s, base), strcat(s, ".model");
    return s;
}

static int parse_args(int argc, char **argv, setup *s, cli_data *cd, int *first) {
    char err[256];
    int i;
    memset(s, 0, sizeof *s);
    memset(cd, 0, sizeof *cd);
    s->C = 1.0, s->l2 = -1.0;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double x;
        size_t z;
        int r;
        if (strcmp(o, "-q") == 0) { s->quiet = 1; continue; }
        if (strcmp(o, "-z") == 0) { s->standardize = 1; continue; }
        if (!v) usage();
        i++;
        if ((r = cli_data_option(o, v, cd, err, sizeof err)) != 0) {
            if (r < 0) fprintf(stderr, "logreg-train: %s\n", err), exit(1);
        } else if (strcmp(o, "-s") == 0 && cli_size(v, &z) && z <= 2) {
            s->opt.solver = z == 0 ? LOGREG_SOLVER_LBFGS : z == 1 ? LOGREG_SOLVER_GD : LOGREG_SOLVER_SGD;
        } else if (strcmp(o, "-c") == 0 && cli_double(v, &x) && x > 0.0) {
            s->C = x;
        } else if (strcmp(o, "-l2") == 0 && cli_double(v, &x) && x >= 0.0 && x <= FLT_MAX) {
            s->l2 = x;
        } else if (strcmp(o, "-e") == 0 && cli_double(v, &x) && x > 0.0) {
            s->opt.tol = x;
        } else if (strcmp(o, "-n") == 0 && cli_size(v, &z) && z > 0) {
            s->opt.max_iter = z;
        } else if (strcmp(o, "-v") == 0 && cli_size(v, &z) && z >= 2) {
            s->folds = z;
        } else if (strcmp(o, "-w") == 0 && strcmp(v, "balanced") == 0) {
            s->balanced = 1;
        } else if (o[1] == 'w' && o[2] && s->ncw < 64 && cli_double(o + 2, &x) &&
                   cli_double(v, &s->cw[s->ncw].weight) && s->cw[s->ncw].weight >= 0.0) {
            s->cw[s->ncw++].label = x;
        } else {
            fprintf(stderr, "logreg-train: bad option or value: %s %s\n", o, v);
            usage();
        }
    }
    *first = i;
    return argc - i == 1 || argc - i == 2;
}

/* together: the models were trained in one run (one-vs-rest with L-BFGS), sharing iterations. */
static void print_report(const classes *cl, const logreg_report *rep, size_t V, double lambda, int together) {
    char a[32], b[32];
    size_t c, iters = 0;
    for (c = 0; c < V; c++) {
        if (V == 1)
            printf("binary: %s vs %s, lambda = %.6g\n", data_label_str(cl->label[1], a),
                   data_label_str(cl->label[0], b), lambda);
        else
            printf("class %s vs rest: ", data_label_str(cl->label[c], a));
        printf("iterations %zu, objective J = %.10g, |grad J|_inf = %.3g, %s\n", rep[c].iterations,
               rep[c].loss, rep[c].grad_norm, logreg_stop_string(rep[c].stop));
        iters += rep[c].iterations;
    }
    if (V > 1 && together)
        printf("one-vs-rest: %zu classes, lambda = %.6g, trained together: %zu iterations, one pass over X each\n", V,
               lambda, rep[0].iterations);
    else if (V > 1)
        printf("one-vs-rest: %zu classes, lambda = %.6g, %zu iterations in all\n", V, lambda, iters);
}

int main(int argc, char **argv) {
    setup s;
    cli_data cd;
    dataset d;
    classes cl;
    logreg_model mo;
    logreg_report *rep = NULL;
    float *sw = NULL, *W = NULL;
    size_t *pred = NULL, V, correct;
    char err[512], *model_path = NULL;
    double t0, t_load, t_train, t_save, lambda;
    int first, ok;
    logreg_status st;

    memset(&d, 0, sizeof d);
    if (!parse_args(argc, argv, &s, &cd, &first)) usage();
    s.progress = !s.quiet && isatty(2);
    t0 = cli_now();
    if (!cli_load(argv[first], &cd, &d, err, sizeof err)) {
        fprintf(stderr, "logreg-train: %s\n", err);
        return 1;
    }
    t_load = cli_now() - t0;
    t0 = cli_now();
    if (!classes_find(d.y, d.n, &cl, err, sizeof err)) {
        fprintf(stderr, "logreg-train: %s\n", err);
        return 1;
    }
    if (cl.K < 2) {
        char lab[32];
        fprintf(stderr, "logreg-train: %s: every row has label %s; two classes are needed\n",
                argv[first], data_label_str(cl.label[0], lab));
        return 1;
    }
    V = cl.K == 2 ? 1 : cl.K;
    if (s.balanced || s.ncw) {
        size_t i;
        for (i = 0; i < s.ncw; i++)
            if (classes_index(&cl, s.cw[i].label) < 0) {
                char lab[32];
                fprintf(stderr, "logreg-train: warning: -w%s: no class has this label\n",
                        data_label_str(s.cw[i].label, lab));
            }
        sw = (float *)malloc(d.n * sizeof(float));
        if (!sw || !classes_weights(&cl, s.balanced, s.cw, s.ncw, sw, err, sizeof err)) {
            fprintf(stderr, "logreg-train: %s\n", sw ? err : "out of memory");
            return 1;
        }
    }
    if (!s.quiet)
        printf("%s: %zu rows x %zu features, %zu classes\n", argv[first], d.n, d.m, cl.K);
    if (s.folds) {
        double acc;
        if (s.folds > d.n) s.folds = d.n;
        s.progress = 0;
        if (!cross_validate(&d, &cl, sw, &s, &acc, err, sizeof err)) {
            fprintf(stderr, "logreg-train: %s\n", err);
            return 1;
        }
        printf("Cross Validation Accuracy = %.2f%%\n", 100.0 * acc);
        free(sw);
        classes_free(&cl);
        data_free(&d);
        return 0;
    }

    W = (float *)malloc(V * (d.m + 1) * sizeof(float));
    rep = (logreg_report *)malloc(V * sizeof(logreg_report));
    pred = (size_t *)malloc(d.n * sizeof(size_t));
    model_path = first + 1 < argc ? argv[first + 1] : default_model_name(argv[first]);
    if (!W || !rep || !pred || !model_path) {
        fprintf(stderr, "logreg-train: out of memory\n");
        return 1;
    }
    if (!train_model(d.X, d.n, d.m, &cl, sw, &s, W, W + V * d.m, rep, &lambda, err, sizeof err)) {
        fprintf(stderr, "logreg-train: %s\n", err);
        return 1;
    }
    mo = make_model(&cl, d.m, W, W + V * d.m);
    t_train = cli_now() - t0;
    t0 = cli_now();
    st = logreg_model_save(&mo, model_path);
    t_save = cli_now() - t0;
    ok = st == LOGREG_OK;
    if (!ok)
        fprintf(stderr, "logreg-train: %s: %s%s%s\n", model_path, logreg_status_string(st),
                st == LOGREG_ERR_IO && errno ? ": " : "", st == LOGREG_ERR_IO && errno ? strerror(errno) : "");
    if (!s.quiet) {
        print_report(&cl, rep, V, lambda, s.opt.solver == LOGREG_SOLVER_LBFGS || s.opt.solver == LOGREG_SOLVER_DEFAULT);
        printf("time: load %.3f s, train %.3f s, save %.3f s (path %s)\n", t_load, t_train, t_save,
               logreg_isa_name(logreg_isa_active()));
        correct = count_correct(&mo, d.X, d.n, cl.cls, pred);
        printf("training accuracy = %.2f%% (%zu/%zu)\n", 100.0 * (double)correct / (double)d.n,
               correct, d.n);
    }
    if (first + 1 >= argc) free(model_path);
    free(W), free(rep), free(pred), free(sw);
    classes_free(&cl);
    data_free(&d);
    return ok ? 0 : 1;
}
