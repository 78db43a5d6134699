/* Model files: the binary format documented in api.h, to and from memory and files (saved
   through a temporary file and a rename), and prediction with a model. */
#include "ovr.h"

#include <stdlib.h> /* qsort */

#define LOGREG__MODEL_VERSION 1u
#define LOGREG__MODEL_HEAD 32u /* magic, version, K, V, reserved, m */
#define LOGREG__MODEL_TAIL 8u  /* the checksum */

static const unsigned char logreg__model_magic[8] = {0x89, 0x4c, 0x52, 0x4d, 0x0d, 0x0a, 0x1a, 0x0a};

LOGREG__INLINE void logreg__put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}
LOGREG__INLINE void logreg__put64(unsigned char *p, uint64_t v) {
    logreg__put32(p, (uint32_t)v);
    logreg__put32(p + 4, (uint32_t)(v >> 32));
}
LOGREG__INLINE uint32_t logreg__get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
LOGREG__INLINE uint64_t logreg__get64(const unsigned char *p) {
    return (uint64_t)logreg__get32(p) | (uint64_t)logreg__get32(p + 4) << 32;
}

/* FNV-1a 64 (Fowler, Noll, Vo): offset basis 0xcbf29ce484222325, prime 2^40 + 2^8 + 0xb3.
   Each step h = (h ^ byte) * prime is a bijection of h, so any one changed byte changes the
   result. */
static uint64_t logreg__fnv1a64(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Bytes of a file with K labels and V vectors of m weights; 0 if that overflows size_t. */
static size_t logreg__model_bytes(uint64_t K, uint64_t V, uint64_t m) {
    uint64_t lim = (uint64_t)SIZE_MAX < UINT64_MAX / 2 ? (uint64_t)SIZE_MAX : UINT64_MAX / 2;
    uint64_t fixed = LOGREG__MODEL_HEAD + LOGREG__MODEL_TAIL, labels, weights;
    if (K > lim / 8 || m > lim / 4 - 1 || (V && m + 1 > lim / 4 / V)) return 0;
    labels = 8 * K, weights = 4 * V * (m + 1);
    if (labels > lim - fixed || weights > lim - fixed - labels) return 0;
    return (size_t)(fixed + labels + weights);
}

static int logreg__cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 1 if the K finite labels are distinct (sorting a copy: O(K log K) even for a hostile K);
   *st = LOGREG_ERR_NOMEM if the copy cannot be made. */
static int logreg__distinct_copy(const double *labels, size_t K, logreg_status *st) {
    double *tmp = (double *)LOGREG_MALLOC(K * sizeof(double));
    size_t i;
    int ok = 1;
    *st = tmp ? LOGREG_OK : LOGREG_ERR_NOMEM;
    if (!tmp) return 0;
    memcpy(tmp, labels, K * sizeof(double));
    qsort(tmp, K, sizeof(double), logreg__cmp_double);
    for (i = 1; i < K && ok; i++) ok = tmp[i] != tmp[i - 1];
    LOGREG_FREE(tmp);
    return ok;
}

LOGREG__INLINE int logreg__all_finite_d(const double *v, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (!logreg__finite_d(v[i])) return 0;
    return 1;
}

/* The shape of a model in memory: m >= 1, K >= 2, V == K or (K == 2 and V == 1), arrays set,
   and small enough for the format. */
static logreg_status logreg__model_shape(const logreg_model *mo) {
    if (!mo || mo->m == 0 || mo->classes < 2 || !mo->labels || !mo->W || !mo->B) return LOGREG_ERR_ARG;
    if (mo->vectors != mo->classes && !(mo->classes == 2 && mo->vectors == 1)) return LOGREG_ERR_ARG;
    if (mo->classes >> 16 >> 16) return LOGREG_ERR_ARG; /* over 32 bits (two shifts: size_t may have 32) */
    if (!logreg__model_bytes(mo->classes, mo->vectors, mo->m)) return LOGREG_ERR_ARG;
    return LOGREG_OK;
}

LOGREG_API logreg_status logreg_model_save_mem(const logreg_model *model, void *buf, size_t cap,
                                               size_t *size) {
    unsigned char *p = (unsigned char *)buf;
    size_t bytes, K, V, m, c, j;
    logreg_status st = logreg__model_shape(model);
    if (st != LOGREG_OK) return st;
    if (!size && !buf) return LOGREG_ERR_ARG;
    K = model->classes, V = model->vectors, m = model->m;
    if (!logreg__all_finite_d(model->labels, K) || !logreg__all_finite(model->W, V * m) ||
        !logreg__all_finite(model->B, V))
        return LOGREG_ERR_NONFINITE;
    if (!logreg__distinct_copy(model->labels, K, &st)) return st == LOGREG_OK ? LOGREG_ERR_ARG : st;
    bytes = logreg__model_bytes(K, V, m);
    if (size) *size = bytes;
    if (!buf) return LOGREG_OK;
    if (cap < bytes) return LOGREG_ERR_ARG;

    memcpy(p, logreg__model_magic, 8);
    logreg__put32(p + 8, LOGREG__MODEL_VERSION);
    logreg__put32(p + 12, (uint32_t)K);
    logreg__put32(p + 16, (uint32_t)V);
    logreg__put32(p + 20, 0);
    logreg__put64(p + 24, (uint64_t)m);
    p += LOGREG__MODEL_HEAD;
    for (c = 0; c < K; c++, p += 8) {
        uint64_t u;
        memcpy(&u, model->labels + c, 8);
        logreg__put64(p, u);
    }
    for (c = 0; c < V; c++) {
        for (j = 0; j < m; j++, p += 4) logreg__put32(p, logreg__bits(model->W[c * m + j]));
        logreg__put32(p, logreg__bits(model->B[c]));
        p += 4;
    }
    logreg__put64(p, logreg__fnv1a64((const unsigned char *)buf, bytes - LOGREG__MODEL_TAIL));
    return LOGREG_OK;
}

/* Checks the header at p (LOGREG__MODEL_HEAD bytes) and gives the size of the whole file. */
static logreg_status logreg__model_head(const unsigned char *p, size_t *bytes) {
    uint64_t K = logreg__get32(p + 12), V = logreg__get32(p + 16), m = logreg__get64(p + 24);
    if (memcmp(p, logreg__model_magic, 8) != 0) return LOGREG_ERR_FORMAT;
    if (logreg__get32(p + 8) != LOGREG__MODEL_VERSION) return LOGREG_ERR_VERSION;
    if (logreg__get32(p + 20) != 0 || K < 2 || (V != K && !(K == 2 && V == 1)) || m == 0)
        return LOGREG_ERR_FORMAT;
    *bytes = logreg__model_bytes(K, V, m);
    return *bytes ? LOGREG_OK : LOGREG_ERR_FORMAT;
}

LOGREG_API logreg_status logreg_model_load_mem(const void *buf, size_t size, logreg_model *out) {
    const unsigned char *p = (const unsigned char *)buf, *q;
    size_t K, V, m, bytes = 0, c, j;
    unsigned char *block;
    logreg_model mo;
    logreg_status st;
    if (!out || (!buf && size)) return LOGREG_ERR_ARG;
    if (size < LOGREG__MODEL_HEAD) return LOGREG_ERR_FORMAT;
    st = logreg__model_head(p, &bytes);
    if (st != LOGREG_OK) return st;
    if (size != bytes) return LOGREG_ERR_FORMAT;
    if (logreg__get64(p + bytes - LOGREG__MODEL_TAIL) != logreg__fnv1a64(p, bytes - LOGREG__MODEL_TAIL))
        return LOGREG_ERR_FORMAT;
    K = logreg__get32(p + 12), V = logreg__get32(p + 16), m = (size_t)logreg__get64(p + 24);

    /* Everything checked but the values: decode into one block, labels first (doubles). */
    block = (unsigned char *)LOGREG_MALLOC(K * sizeof(double) + V * (m + 1) * sizeof(float));
    if (!block) return LOGREG_ERR_NOMEM;
    mo.m = m, mo.classes = K, mo.vectors = V;
    mo.labels = (double *)(void *)block;
    mo.W = (float *)(void *)(block + K * sizeof(double));
    mo.B = mo.W + V * m;
    q = p + LOGREG__MODEL_HEAD;
    for (c = 0; c < K; c++, q += 8) {
        uint64_t u = logreg__get64(q);
        memcpy(mo.labels + c, &u, 8);
    }
    for (c = 0; c < V; c++) {
        for (j = 0; j <= m; j++, q += 4) {
            uint32_t u = logreg__get32(q);
            memcpy(j < m ? mo.W + c * m + j : mo.B + c, &u, 4);
        }
    }
    if (!logreg__all_finite_d(mo.labels, K) || !logreg__all_finite(mo.W, V * m) ||
        !logreg__all_finite(mo.B, V)) {
        LOGREG_FREE(block);
        return LOGREG_ERR_NONFINITE;
    }
    if (!logreg__distinct_copy(mo.labels, K, &st)) {
        LOGREG_FREE(block);
        return st == LOGREG_OK ? LOGREG_ERR_FORMAT : st;
    }
    *out = mo;
    return LOGREG_OK;
}

LOGREG_API void logreg_model_free(logreg_model *model) {
    if (!model) return;
    if (model->labels) LOGREG_FREE(model->labels);
    memset(model, 0, sizeof *model);
}

LOGREG_API logreg_status logreg_model_predict(const logreg_model *model, const float *X, size_t n,
                                              size_t ld, size_t *cls, float *proba) {
    logreg_status st = logreg__model_shape(model);
    size_t i, c, K, V, m;
    if (st != LOGREG_OK) return st;
    K = model->classes, V = model->vectors, m = model->m;
    st = logreg__check_shape(X, n, m, ld);
    if (st != LOGREG_OK) return st;
    if (n > 0 && !cls) return LOGREG_ERR_ARG;
    if (proba && n > SIZE_MAX / sizeof(float) / K) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(model->W, V * m) || !logreg__all_finite(model->B, V))
        return LOGREG_ERR_NONFINITE;
    for (i = 0; i < n; i++) {
        const float *x = X + i * ld;
        float *pr = proba ? proba + i * K : NULL;
        if (V == 1) {
            double z = logreg__scalar_dot(x, model->W, m, model->B[0]), p;
            if (!logreg__finite_d(z)) return LOGREG_ERR_NONFINITE;
            cls[i] = z >= 0.0 ? 1 : 0;
            p = 1.0 / (1.0 + exp(-z));
            if (pr) pr[0] = (float)(1.0 - p), pr[1] = (float)p;
            continue;
        }
        cls[i] = logreg__argmax_row(x, m, model->W, model->B, V);
        if (cls[i] == V) return LOGREG_ERR_NONFINITE;
        if (pr) { /* sigma(z_c) / sum_k sigma(z_k); when every z is tiny, sigma(z) ~ e^z, so
                     scale by e^-zmax first to keep the ratio out of 0/0 */
            double zmax = logreg__scalar_dot(x, model->W + cls[i] * m, m, model->B[cls[i]]), sum = 0.0;
            for (c = 0; c < V; c++) {
                double z = logreg__scalar_dot(x, model->W + c * m, m, model->B[c]);
                double s = zmax < -30.0 ? exp(z - zmax) : 1.0 / (1.0 + exp(-z));
                pr[c] = (float)s, sum += s;
            }
            for (c = 0; c < V; c++) pr[c] = (float)(pr[c] / sum);
        }
    }
    return LOGREG_OK;
}

#ifndef LOGREG_NO_STDIO
#include <stdio.h>
#include <errno.h>
#include <time.h>
#if defined(_WIN32)
#include <windows.h>
#elif (defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 199309L) || defined(__APPLE__)
#include <unistd.h>
#define LOGREG__FSYNC(f) fsync(fileno(f))
#endif
#ifndef LOGREG__FSYNC
#define LOGREG__FSYNC(f) 0
#endif
#if (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) || defined(__GLIBC__)
#define LOGREG__FOPEN_NEW "wbx" /* fails if the name exists */
#else
#define LOGREG__FOPEN_NEW "wb"
#endif

/* Writes data to a new file "<path>.tmp<8 hex>" beside path, flushes it, and renames it over
   path. The suffix mixes the time, the clock, a stack address and the attempt number, so two
   processes saving to one path do not share a temporary file. */
static logreg_status logreg__write_atomic(const char *path, const unsigned char *data, size_t n) {
    size_t len = strlen(path);
    char *tmp;
    FILE *f = NULL;
    int attempt, ok;
    if (len > SIZE_MAX - 16) return LOGREG_ERR_ARG;
    tmp = (char *)LOGREG_MALLOC(len + 16);
    if (!tmp) return LOGREG_ERR_NOMEM;
    for (attempt = 0; attempt < 16 && !f; attempt++) {
        uint64_t h = logreg__mix((uint64_t)time(NULL) ^ (uint64_t)clock() << 32 ^
                                 (uint64_t)(uintptr_t)&f ^ (uint64_t)attempt << 56);
        static const char hex[] = "0123456789abcdef";
        int k;
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp", 4);
        for (k = 0; k < 8; k++) tmp[len + 4 + k] = hex[(h >> (4 * k)) & 15];
        tmp[len + 12] = '\0';
        errno = 0;
        f = fopen(tmp, LOGREG__FOPEN_NEW);
#ifdef EEXIST
        if (!f && errno != EEXIST) break;
#endif
    }
    if (!f) {
        LOGREG_FREE(tmp);
        return LOGREG_ERR_IO;
    }
    ok = fwrite(data, 1, n, f) == n;
    ok = fflush(f) == 0 && ok;
    ok = LOGREG__FSYNC(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
#if defined(_WIN32)
    ok = ok && MoveFileExA(tmp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
#else
    ok = ok && rename(tmp, path) == 0;
#endif
    if (!ok) remove(tmp);
    LOGREG_FREE(tmp);
    return ok ? LOGREG_OK : LOGREG_ERR_IO;
}

LOGREG_API logreg_status logreg_model_save(const logreg_model *model, const char *path) {
    size_t bytes;
    unsigned char *buf;
    logreg_status st;
    if (!path) return LOGREG_ERR_ARG;
    st = logreg_model_save_mem(model, NULL, 0, &bytes);
    if (st != LOGREG_OK) return st;
    buf = (unsigned char *)LOGREG_MALLOC(bytes);
    if (!buf) return LOGREG_ERR_NOMEM;
    st = logreg_model_save_mem(model, buf, bytes, &bytes);
    if (st == LOGREG_OK) st = logreg__write_atomic(path, buf, bytes);
    LOGREG_FREE(buf);
    return st;
}

LOGREG_API logreg_status logreg_model_load(const char *path, logreg_model *out) {
    unsigned char head[LOGREG__MODEL_HEAD], *buf = NULL;
    size_t got, bytes = 0;
    long len = 0;
    logreg_status st;
    FILE *f;
    if (!path || !out) return LOGREG_ERR_ARG;
    f = fopen(path, "rb");
    if (!f) return LOGREG_ERR_IO;
    /* the header and the file's length must agree before anything is allocated */
    got = fread(head, 1, sizeof head, f);
    if (ferror(f)) st = LOGREG_ERR_IO;
    else if (got < sizeof head) st = LOGREG_ERR_FORMAT;
    else st = logreg__model_head(head, &bytes);
    if (st == LOGREG_OK) {
        if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) st = LOGREG_ERR_IO;
        else if ((uint64_t)len != (uint64_t)bytes) st = LOGREG_ERR_FORMAT;
        else if (!(buf = (unsigned char *)LOGREG_MALLOC(bytes))) st = LOGREG_ERR_NOMEM;
        else if (fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, bytes, f) != bytes) st = LOGREG_ERR_IO;
        else st = logreg_model_load_mem(buf, bytes, out);
    }
    if (buf) LOGREG_FREE(buf);
    fclose(f);
    return st;
}
#endif /* LOGREG_NO_STDIO */
