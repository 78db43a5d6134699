/* objective - the one evaluator of T1 (BENCHMARKS.md): reads a binary model, ours (the
   logreg.h model file) or LIBLINEAR's text model, and computes on idx data, in double,
     J(w,b) = (1/n) sum_i BCE(sigmoid(w.x_i + b), y_i) + (lambda/2) |w|^2,  bias not regularized,
   with x = pixel/255 and y_i = (class == K), and the accuracy on a test set.

   usage: objective [-p K] [-c C | -l lambda] [-j Jstar] [-t test_images -T test_labels]
                    train_images train_labels model
     -p K       the positive class (default 0: Fashion-MNIST T-shirt/top vs rest)
     -c C       lambda = 1/(C n)   (default C = 1, LIBLINEAR's -c 1)
     -l lambda  lambda directly
     -j Jstar   also print J/Jstar - 1

   A LIBLINEAR model of a binary problem holds one weight vector scoring its first "label"
   against the second, and with -B b its bias as the last weight (for a feature of value b);
   it is turned into (w, b) scoring the positive class, then evaluated like ours. */
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idx.h"

typedef struct model {
    double *w; /* m weights, scoring the positive class */
    double b;
    const char *kind;
} model;

static void die(const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "objective: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    exit(1);
}

/* Ours: vector 0 scores labels[1] against labels[0]. */
static void read_ours(const char *path, size_t m, model *out) {
    logreg_model mo;
    size_t j;
    double sign;
    logreg_status s = logreg_model_load(path, &mo);
    if (s != LOGREG_OK) die("%s: %s", path, logreg_status_string(s));
    if (mo.classes != 2 || mo.vectors != 1 || mo.m > m)
        die("%s: %s", path, "not a binary model over at most one weight per pixel");
    sign = mo.labels[1] > mo.labels[0] ? 1.0 : -1.0; /* the positive class is the larger label */
    for (j = 0; j < m; j++) out->w[j] = j < mo.m ? sign * (double)mo.W[j] : 0.0; /* libsvm: m may be short */
    out->b = sign * (double)mo.B[0];
    out->kind = "logreg.h model";
    logreg_model_free(&mo);
}

/* LIBLINEAR: header lines "key values", then "w", then one line per feature (and bias). */
static void read_liblinear(FILE *f, const char *path, size_t m, model *out) {
    char key[64];
    double label[2] = {0, 0}, bias = -1.0, v, sign;
    long nr_class = 0, nr_feature = -1, j;
    while (fscanf(f, "%63s", key) == 1 && strcmp(key, "w") != 0) {
        if (!strcmp(key, "nr_class")) {
            if (fscanf(f, "%ld", &nr_class) != 1) nr_class = 0;
        } else if (!strcmp(key, "label")) {
            if (fscanf(f, "%lf %lf", &label[0], &label[1]) != 2) nr_class = 0;
        } else if (!strcmp(key, "nr_feature")) {
            if (fscanf(f, "%ld", &nr_feature) != 1) nr_feature = -1;
        } else if (!strcmp(key, "bias")) {
            if (fscanf(f, "%lf", &bias) != 1) nr_class = 0;
        } else if (fscanf(f, "%*[^\n]") < 0) {
            break;
        }
    }
    if (nr_class != 2 || nr_feature < 0 || (size_t)nr_feature > m)
        die("%s: %s", path, "not a binary LIBLINEAR model over at most 784 features");
    sign = label[0] > label[1] ? 1.0 : -1.0; /* w scores label[0] */
    for (j = 0; j < (long)m; j++) out->w[j] = 0.0;
    for (j = 0; j < nr_feature; j++) {
        if (fscanf(f, "%lf", &v) != 1) die("%s: %s", path, "fewer weights than nr_feature");
        out->w[j] = sign * v;
    }
    out->b = 0.0;
    if (bias >= 0.0) {
        if (fscanf(f, "%lf", &v) != 1) die("%s: %s", path, "no bias weight");
        out->b = sign * v * bias;
    }
    out->kind = bias >= 0.0 ? "LIBLINEAR model (bias as last weight)" : "LIBLINEAR model (no bias)";
}

static void read_model(const char *path, size_t m, model *out) {
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: %s", path, "cannot open");
    if (fread(head, 1, 11, f) == 11 && !memcmp(head, "solver_type", 11)) {
        rewind(f);
        read_liblinear(f, path, m, out);
        fclose(f);
        return;
    }
    fclose(f);
    read_ours(path, m, out);
}

static unsigned char *read_idx(const char *path, size_t *n, size_t *size) {
    const char *err;
    unsigned char *p = idx_read(path, n, size, &err);
    if (!p) die("%s: %s", path, err);
    return p;
}

static double score(const model *mo, const unsigned char *px, size_t m) {
    double z = mo->b;
    size_t j;
    for (j = 0; j < m; j++) z += mo->w[j] * ((double)px[j] / 255.0);
    return z;
}

int main(int argc, char **argv) {
    const char *test_img = NULL, *test_lab = NULL;
    double C = 1.0, lambda = -1.0, jstar = 0.0, J = 0.0, reg = 0.0;
    int pos = 0, a;
    size_t n, m, nl, one, i, j, right = 0;
    unsigned char *X, *Y;
    model mo;
    for (a = 1; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "-p")) pos = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "-c")) C = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "-l")) lambda = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "-j")) jstar = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "-t")) test_img = argv[a + 1];
        else if (!strcmp(argv[a], "-T")) test_lab = argv[a + 1];
        else die("unknown option %s%s", argv[a], "");
    }
    if (argc - a != 3 || !(C > 0.0) || (test_img == NULL) != (test_lab == NULL)) {
        fprintf(stderr, "usage: objective [-p K] [-c C | -l lambda] [-j Jstar] "
                        "[-t test_images -T test_labels] train_images train_labels model\n");
        return 2;
    }
    X = read_idx(argv[a], &n, &m);
    Y = read_idx(argv[a + 1], &nl, &one);
    if (nl != n || one != 1 || n == 0) die("%s and %s: not images and their labels", argv[a], argv[a + 1]);
    if (lambda < 0.0) lambda = 1.0 / (C * (double)n);
    mo.w = (double *)malloc(m * sizeof(double));
    if (!mo.w) die("%s%s", "out of memory", "");
    read_model(argv[a + 2], m, &mo);

    for (i = 0; i < n; i++) { /* stable BCE: ln(1+e^-|z|) + max(z,0) - y z */
        double z = score(&mo, X + i * m, m), y = Y[i] == pos;
        J += log1p(exp(-fabs(z))) + (z > 0.0 ? z : 0.0) - y * z;
    }
    for (j = 0; j < m; j++) reg += mo.w[j] * mo.w[j];
    J = J / (double)n + 0.5 * lambda * reg;
    printf("model     %s (%s), b = %.9g\n", argv[a + 2], mo.kind, mo.b);
    printf("J         %.10f  (lambda = %.6g, bias not regularized, n = %zu)\n", J, lambda, n);
    if (jstar > 0.0) printf("rel_gap   %+.3e  (J/J* - 1, J* = %.10f)\n", J / jstar - 1.0, jstar);
    free(X);
    free(Y);

    if (test_img) {
        size_t nt, mt;
        X = read_idx(test_img, &nt, &mt);
        Y = read_idx(test_lab, &nl, &one);
        if (mt != m || nl != nt || one != 1) die("%s and %s: not images and labels like the train set", test_img, test_lab);
        for (i = 0; i < nt; i++) right += (score(&mo, X + i * m, m) >= 0.0) == (Y[i] == pos);
        printf("accuracy  %.2f %% (%zu/%zu)\n", 100.0 * (double)right / (double)nt, right, nt);
        free(X);
        free(Y);
    }
    free(mo.w);
    return 0;
}
