/* classes.h - labels to classes for the example tools: the sorted distinct labels and each
   row's class, the one-class-vs-rest relabelling of -p, and sample weights from class weights
   (-w<label> weight, -w balanced). */
#ifndef LOGREG_CLASSES_H
#define LOGREG_CLASSES_H

#include <limits.h>

#include "dataio.h"

typedef struct classes {
    double *label; /* K distinct labels, ascending */
    size_t *count; /* rows of each class */
    int *cls;      /* n: the class of each row, in [0, K) */
    size_t K, n;
} classes;

typedef struct class_weight {
    double label, weight;
} class_weight;

DATA_FN void classes_free(classes *c) {
    free(c->label);
    free(c->count);
    free(c->cls);
    memset(c, 0, sizeof *c);
}

/* -p: y[i] = 1 if y[i] == pos, else 0. Returns the number of rows of class pos. */
DATA_FN size_t classes_one_vs_rest(double *y, size_t n, double pos) {
    size_t i, hits = 0;
    for (i = 0; i < n; i++) hits += (y[i] = y[i] == pos ? 1.0 : 0.0) != 0.0;
    return hits;
}

DATA_FN int classes_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The class of label v: its index in c->label, or -1. */
DATA_FN long classes_index(const classes *c, double v) {
    size_t lo = 0, hi = c->K;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->label[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->K && c->label[lo] == v ? (long)lo : -1;
}

/* The distinct labels of y (finite, as the readers give them) and each row's class. */
DATA_FN int classes_find(const double *y, size_t n, classes *c, char *err, size_t errlen) {
    double *s = (double *)malloc((n ? n : 1) * sizeof(double));
    size_t i, K = 0;
    memset(c, 0, sizeof *c);
    if (!s) return data_fail(err, errlen, "out of memory for %zu labels", n);
    memcpy(s, y, n * sizeof(double));
    qsort(s, n, sizeof(double), classes_cmp);
    for (i = 0; i < n; i++)
        if (i == 0 || s[i] != s[K - 1]) s[K++] = s[i];
    if (K > INT_MAX) {
        free(s);
        return data_fail(err, errlen, "%zu classes: too many", K);
    }
    c->label = s, c->K = K, c->n = n;
    c->count = (size_t *)calloc(K ? K : 1, sizeof(size_t));
    c->cls = (int *)malloc((n ? n : 1) * sizeof(int));
    if (!c->count || !c->cls) {
        classes_free(c);
        return data_fail(err, errlen, "out of memory for %zu labels", n);
    }
    for (i = 0; i < n; i++) {
        c->cls[i] = (int)classes_index(c, y[i]);
        c->count[c->cls[i]]++;
    }
    return 1;
}

/* sw[i] = the weight of row i's class: n/(K n_c) if balanced (else 1), times the weight given
   for its label in cw (LIBLINEAR's -w<label> weight). Weights must be finite and >= 0. */
DATA_FN int classes_weights(const classes *c, int balanced, const class_weight *cw, size_t ncw,
                            float *sw, char *err, size_t errlen) {
    double *wc = (double *)malloc(c->K * sizeof(double));
    size_t i, k;
    if (!wc) return data_fail(err, errlen, "out of memory");
    for (k = 0; k < c->K; k++)
        wc[k] = balanced ? (double)c->n / ((double)c->K * (double)c->count[k]) : 1.0;
    for (i = 0; i < ncw; i++) {
        long k2 = classes_index(c, cw[i].label);
        if (!(cw[i].weight >= 0.0) || cw[i].weight > FLT_MAX) {
            free(wc);
            return data_fail(err, errlen, "class weight %g: must be finite and >= 0", cw[i].weight);
        }
        if (k2 >= 0) wc[k2] *= cw[i].weight;
    }
    for (i = 0; i < c->n; i++) sw[i] = (float)wc[c->cls[i]];
    free(wc);
    return 1;
}

#endif /* LOGREG_CLASSES_H */
