/* logreg-predict: applies a model file to libsvm, CSV or idx data and prints the accuracy, like
   LIBLINEAR's predict; writes the predicted labels (-b 1: and the probabilities) to a file.
   Reads LIBLINEAR's text model files too, so that both programs' models can be compared on
   the same data, and with -J λ prints the objective J of a binary model on the data. */
#define _POSIX_C_SOURCE 200809L
#define LOGREG_IMPLEMENTATION
#include "logreg.h"

#include "cli.h"

static void usage(void) {
    fputs("usage: logreg-predict [options] test_file model_file [output_file]\n"
          "  -b 1               write the probability of every class too\n"
          "  -f libsvm|csv|idx  the format (default: .csv -> csv, a name with idx3 -> idx, else libsvm)\n"
          "  -L labels_file     idx labels (default: test_file with images-idx3 -> labels-idx1)\n"
          "  -y col             CSV label column, from 0 (default 0)\n"
          "  -p K               binary: class K -> 1, every other class -> 0 (as in training)\n"
          "  -J lambda          also print J = mean cross-entropy + lambda/2 |w|^2 (binary models)\n"
          "  -q                 quiet: no accuracy line\n"
          "  model_file may be a logreg model or a LIBLINEAR model (text)\n",
          stderr);
    exit(1);
}

/* LIBLINEAR's model file ("solver_type ...", header lines, then "w" and one row per feature,
   plus one for the bias, of nr_w values) as a logreg_model in malloc'ed arrays. LIBLINEAR's
   binary vector scores its first label, which our binary format puts second. */
static int read_liblinear(const char *path, FILE *f, logreg_model *mo, char *err, size_t errlen) {
    char key[64];
    long nr_class = 0, nr_feature = -1, c, j;
    double bias = -1.0, *labels = NULL;
    int ok = 1;
    size_t V, m;
    memset(mo, 0, sizeof *mo);
    while (ok && fscanf(f, "%63s", key) == 1 && strcmp(key, "w") != 0) {
        if (strcmp(key, "solver_type") == 0) ok = fscanf(f, "%63s", key) == 1;
        else if (strcmp(key, "nr_class") == 0) ok = fscanf(f, "%ld", &nr_class) == 1 && nr_class >= 2 && nr_class < 1 << 20;
        else if (strcmp(key, "nr_feature") == 0) ok = fscanf(f, "%ld", &nr_feature) == 1 && nr_feature >= 1 && nr_feature <= (long)DATA_MAX_FEATURES;
        else if (strcmp(key, "bias") == 0) ok = fscanf(f, "%lf", &bias) == 1;
        else if (strcmp(key, "label") == 0 && nr_class >= 2 && !labels) {
            labels = (double *)malloc((size_t)nr_class * sizeof(double));
            for (c = 0; ok && labels && c < nr_class; c++) ok = fscanf(f, "%lf", &labels[c]) == 1;
            ok = ok && labels;
        } else ok = 0;
    }
    if (!ok || !labels || nr_feature < 1 || strcmp(key, "w") != 0) {
        free(labels);
        return data_fail(err, errlen, "%s: not a LIBLINEAR model (bad or missing header line '%s')", path, key);
    }
    V = nr_class == 2 ? 1 : (size_t)nr_class, m = (size_t)nr_feature;
    mo->m = m, mo->classes = (size_t)nr_class, mo->vectors = V, mo->labels = labels;
    mo->W = (float *)calloc(V * m, sizeof(float));
    mo->B = (float *)calloc(V, sizeof(float));
    if (!mo->W || !mo->B) ok = data_fail(err, errlen, "%s: out of memory", path);
    for (j = 0; ok && j < nr_feature + (bias >= 0.0); j++)
        for (c = 0; ok && c < (long)V; c++) {
            double v;
            if (fscanf(f, "%lf", &v) != 1 || v != v || fabs(v) > FLT_MAX)
                ok = data_fail(err, errlen, "%s: weight %ld of feature %ld missing or bad", path, c, j + 1);
            else if (j < nr_feature) mo->W[(size_t)c * m + (size_t)j] = (float)v;
            else mo->B[c] = (float)(v * bias);
        }
    if (ok && V == 1) {
        double t = labels[0];
        labels[0] = labels[1], labels[1] = t;
    }
    if (!ok) free(mo->W), free(mo->B), free(labels), memset(mo, 0, sizeof *mo);
    return ok;
}

/* A logreg model file or a LIBLINEAR one, by its first bytes. *ours: which it was. */
static int read_model(const char *path, logreg_model *mo, int *ours, char *err, size_t errlen) {
    char head[12] = {0};
    FILE *f = fopen(path, "rb");
    logreg_status st;
    if (!f) return data_fail(err, errlen, "%s: %s", path, strerror(errno));
    *ours = !(fread(head, 1, 11, f) == 11 && memcmp(head, "solver_type", 11) == 0);
    if (!*ours) {
        int ok;
        rewind(f);
        ok = read_liblinear(path, f, mo, err, errlen);
        fclose(f);
        return ok;
    }
    fclose(f);
    st = logreg_model_load(path, mo);
    if (st != LOGREG_OK) return data_fail(err, errlen, "%s: %s", path, logreg_status_string(st));
    return 1;
}

/* J = (1/n) Σ BCE + (λ/2)‖w‖² of the binary model on the data: y = 1 for its second label. */
static int objective(const logreg_model *mo, const dataset *d, double lambda, double *J) {
    float *y = (float *)malloc(d->n * sizeof(float)), *g = (float *)malloc(mo->m * sizeof(float)), gb;
    double reg = 0.0;
    size_t i;
    logreg_status st = LOGREG_ERR_NOMEM;
    if (y && g) {
        for (i = 0; i < d->n; i++) y[i] = d->y[i] == mo->labels[1] ? 1.0f : 0.0f;
        st = logreg_loss_grad(d->X, d->n, mo->m, d->m, y, NULL, mo->W, mo->B[0], J, g, &gb);
        for (i = 0; i < mo->m; i++) reg += (double)mo->W[i] * mo->W[i];
        *J += 0.5 * lambda * reg;
    }
    free(y), free(g);
    return st == LOGREG_OK;
}

static int write_output(const char *path, const logreg_model *mo, const size_t *pred,
                        const float *proba, size_t n) {
    FILE *f = fopen(path, "w");
    char lab[32];
    size_t i, c, K = mo->classes;
    int ok;
    if (!f) return 0;
    if (proba) {
        fputs("labels", f);
        for (c = 0; c < K; c++) fprintf(f, " %s", data_label_str(mo->labels[c], lab));
        fputc('\n', f);
    }
    for (i = 0; i < n; i++) {
        fputs(data_label_str(mo->labels[pred[i]], lab), f);
        for (c = 0; proba && c < K; c++) fprintf(f, " %.6g", proba[i * K + c]);
        fputc('\n', f);
    }
    ok = !ferror(f);
    return fclose(f) == 0 && ok;
}

int main(int argc, char **argv) {
    cli_data cd;
    dataset d;
    logreg_model mo;
    size_t *pred = NULL, i, correct = 0;
    float *proba = NULL;
    char err[512];
    double lambda = -1.0, x;
    int i0, ours = 1, probs = 0, quiet = 0;
    logreg_status st;

    memset(&cd, 0, sizeof cd);
    memset(&d, 0, sizeof d);
    for (i0 = 1; i0 < argc && argv[i0][0] == '-' && argv[i0][1]; i0++) {
        const char *o = argv[i0], *v = i0 + 1 < argc ? argv[i0 + 1] : NULL;
        int r;
        if (strcmp(o, "-q") == 0) { quiet = 1; continue; }
        if (!v) usage();
        i0++;
        if ((r = cli_data_option(o, v, &cd, err, sizeof err)) != 0) {
            if (r < 0) fprintf(stderr, "logreg-predict: %s\n", err), exit(1);
        } else if (strcmp(o, "-b") == 0 && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
            probs = v[0] == '1';
        } else if (strcmp(o, "-J") == 0 && cli_double(v, &x) && x >= 0.0) {
            lambda = x;
        } else {
            fprintf(stderr, "logreg-predict: bad option or value: %s %s\n", o, v);
            usage();
        }
    }
    if (argc - i0 != 2 && argc - i0 != 3) usage();
    if (!read_model(argv[i0 + 1], &mo, &ours, err, sizeof err)) {
        fprintf(stderr, "logreg-predict: %s\n", err);
        return 1;
    }
    cd.spec.min_m = mo.m;
    if (!cli_load(argv[i0], &cd, &d, err, sizeof err)) {
        fprintf(stderr, "logreg-predict: %s\n", err);
        return 1;
    }
    /* libsvm data may have more features than the model (ignored, as LIBLINEAR does) */
    if (d.m < mo.m || (d.m > mo.m && (cd.spec.format == DATA_AUTO ? data_guess_format(argv[i0])
                                                                   : cd.spec.format) != DATA_LIBSVM)) {
        fprintf(stderr, "logreg-predict: %s has %zu features, the model %zu\n", argv[i0], d.m, mo.m);
        return 1;
    }
    pred = (size_t *)malloc(d.n * sizeof(size_t));
    if (probs) proba = (float *)malloc(d.n * mo.classes * sizeof(float));
    if (!pred || (probs && !proba)) {
        fprintf(stderr, "logreg-predict: out of memory\n");
        return 1;
    }
    st = logreg_model_predict(&mo, d.X, d.n, d.m, pred, proba);
    if (st != LOGREG_OK) {
        fprintf(stderr, "logreg-predict: %s\n", logreg_status_string(st));
        return 1;
    }
    for (i = 0; i < d.n; i++) correct += mo.labels[pred[i]] == d.y[i];
    if (!quiet)
        printf("Accuracy = %.2f%% (%zu/%zu)\n", 100.0 * (double)correct / (double)d.n, correct, d.n);
    if (lambda >= 0.0) {
        double J;
        if (mo.vectors != 1 || !objective(&mo, &d, lambda, &J)) {
            fprintf(stderr, "logreg-predict: -J: needs a binary model and finite data\n");
            return 1;
        }
        printf("Objective J = %.10g (lambda = %.6g, bias not regularized)\n", J, lambda);
    }
    if (argc - i0 == 3 && !write_output(argv[i0 + 2], &mo, pred, proba, d.n)) {
        fprintf(stderr, "logreg-predict: %s: %s\n", argv[i0 + 2], strerror(errno));
        return 1;
    }
    if (ours) logreg_model_free(&mo);
    else free(mo.labels), free(mo.W), free(mo.B);
    free(pred), free(proba);
    data_free(&d);
    return 0;
}
