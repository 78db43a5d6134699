/* dataio.h - the readers of the example tools: libsvm text (sparse lines made dense), CSV (an
   optional header, detected; the label in a chosen column) and idx, the format of (Fashion-)
   MNIST (images idx3 + labels idx1, pixels scaled to [0, 1]). Each reader gives a dense float32
   matrix and double labels, or an error message that names the file, the line (the byte offset
   for idx) and the problem. Text may end its lines in CRLF. NaN and infinity are rejected.
   Not part of the library: it prints nothing either, but it allocates with malloc. */
#ifndef LOGREG_DATAIO_H
#define LOGREG_DATAIO_H

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define DATA_FN static __attribute__((unused))
#else
#define DATA_FN static
#endif

#define DATA_MAX_FEATURES 16777216u /* libsvm indices above this are refused: X is dense */

typedef enum data_format { DATA_AUTO, DATA_LIBSVM, DATA_CSV, DATA_IDX } data_format;

typedef struct dataset {
    float *X;  /* n rows of m floats, row i at X + i*m */
    double *y; /* n labels, as read */
    size_t n, m;
} dataset;

typedef struct data_spec {
    data_format format; /* DATA_AUTO: from the name, see data_guess_format */
    const char *labels; /* idx: the labels file; NULL: "images-idx3" -> "labels-idx1" in the name */
    size_t label_col;   /* csv: the label column, 0-based */
    size_t min_m;       /* libsvm: at least this many features (e.g. a model's m) */
} data_spec;

/* count floats on a 64-byte boundary (rows of X then start on cache lines when m is a multiple
   of 16: the kernels' vector loads never straddle two lines); free with data_free_floats. */
DATA_FN float *data_floats(size_t count) {
    char *raw, *p;
    if (count > (SIZE_MAX - 64 - sizeof(void *)) / sizeof(float)) return NULL;
    if (!(raw = (char *)malloc(count * sizeof(float) + 64 + sizeof(void *)))) return NULL;
    p = raw + sizeof(void *);
    p += (64 - (uintptr_t)p % 64) % 64;
    memcpy(p - sizeof(void *), &raw, sizeof raw);
    return (float *)p;
}
DATA_FN void data_free_floats(float *p) {
    void *raw;
    if (!p) return;
    memcpy(&raw, (char *)p - sizeof(void *), sizeof raw);
    free(raw);
}

/* Formats err as "problem" and returns 0, so that readers can `return data_fail(...)`. */
DATA_FN int data_fail(char *err, size_t len, const char *fmt, ...) {
    va_list ap;
    if (!err || !len) return 0;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return 0;
}

DATA_FN void data_free(dataset *d) {
    data_free_floats(d->X);
    free(d->y);
    memset(d, 0, sizeof *d);
}

/* .csv -> csv; a name containing "idx3" -> idx; anything else -> libsvm. */
DATA_FN data_format data_guess_format(const char *path) {
    size_t n = strlen(path);
    if (n >= 4 && path[n - 4] == '.' && tolower((unsigned char)path[n - 3]) == 'c' &&
        tolower((unsigned char)path[n - 2]) == 's' && tolower((unsigned char)path[n - 1]) == 'v')
        return DATA_CSV;
    return strstr(path, "idx3") ? DATA_IDX : DATA_LIBSVM;
}

/* "libsvm", "csv", "idx" -> *f; 0 if none of them. */
DATA_FN int data_parse_format(const char *s, data_format *f) {
    if (strcmp(s, "libsvm") == 0) *f = DATA_LIBSVM;
    else if (strcmp(s, "csv") == 0) *f = DATA_CSV;
    else if (strcmp(s, "idx") == 0) *f = DATA_IDX;
    else return 0;
    return 1;
}

/* A label as text that reads back as the same double: %.15g when that round-trips, else %.17g. */
DATA_FN const char *data_label_str(double v, char buf[32]) {
    snprintf(buf, 32, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, 32, "%.17g", v);
    return buf;
}

/* Up to 24 characters of a token (to the next blank, comma or colon), for messages. */
DATA_FN const char *data_token(const char *p, char buf[32]) {
    size_t i = 0;
    while (p[i] && !strchr(" \t,:", p[i]) && i < 24) buf[i] = p[i], i++;
    if (p[i] && !strchr(" \t,:", p[i])) buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
    buf[i] = '\0';
    return buf;
}

/* ---- lines of a text file: a growing buffer filled by fread, split at '\n' ---- */

typedef struct data_lines {
    FILE *f;
    char *buf;
    size_t cap, pos, fill; /* buf[pos, fill) is read but not yet returned */
    int eof;
    size_t line; /* number of the line last returned, from 1 */
    char *text;  /* that line, NUL-terminated, without '\n' or a final '\r' */
    size_t len;
} data_lines;

/* 1: the next line is in r->text; 0: end of file; -1: read error or out of memory. */
DATA_FN int data_next_line(data_lines *r) {
    for (;;) {
        char *nl = r->pos < r->fill ? (char *)memchr(r->buf + r->pos, '\n', r->fill - r->pos) : NULL;
        if (nl || (r->eof && r->pos < r->fill)) {
            size_t end = nl ? (size_t)(nl - r->buf) : r->fill; /* fill < cap: room for '\0' */
            r->text = r->buf + r->pos;
            r->len = end - r->pos;
            r->buf[end] = '\0';
            if (r->len && r->text[r->len - 1] == '\r') r->text[--r->len] = '\0';
            r->pos = end + (nl != NULL);
            r->line++;
            return 1;
        }
        if (r->eof) return 0;
        if (r->pos > 0) { /* keep the unfinished line at the front */
            memmove(r->buf, r->buf + r->pos, r->fill - r->pos);
            r->fill -= r->pos, r->pos = 0;
        }
        if (r->cap - r->fill < 2) {
            size_t cap = r->cap ? 2 * r->cap : 1 << 16;
            char *b = (char *)realloc(r->buf, cap);
            if (!b) return -1;
            r->buf = b, r->cap = cap;
        }
        r->fill += fread(r->buf + r->fill, 1, r->cap - r->fill - 1, r->f);
        if (ferror(r->f)) return -1;
        if (feof(r->f)) r->eof = 1;
    }
}

/* Parses a finite number that fits a float from p, which must be followed by a blank, a comma
   or the end. Returns the end, or NULL with *why set. */
DATA_FN const char *data_number(const char *p, double *v, const char **why) {
    char *e;
    if (*p == ' ' || *p == '\t' || *p == '\0' || *p == ',') {
        *why = "missing";
        return NULL;
    }
    errno = 0;
    *v = strtod(p, &e);
    if (e == p || (*e && *e != ' ' && *e != '\t' && *e != ',')) {
        *why = "not a number";
        return NULL;
    }
    if (*v != *v || *v == HUGE_VAL || *v == -HUGE_VAL) {
        *why = "NaN or infinite";
        return NULL;
    }
    if (fabs(*v) > FLT_MAX) {
        *why = "out of float range";
        return NULL;
    }
    return e;
}

/* ---- growing arrays ---- */

/* Makes room for at least `need` elements of `size` bytes in *p (capacity *cap). */
DATA_FN int data_grow(void **p, size_t *cap, size_t need, size_t size) {
    size_t c = *cap ? *cap : 1024;
    void *q;
    if (need <= *cap) return 1;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size) return 0;
        c *= 2;
    }
    q = realloc(*p, c * size);
    if (!q) return 0;
    *p = q, *cap = c;
    return 1;
}

/* ---- libsvm: "label index:value index:value ...", indices from 1, increasing ---- */

typedef struct data_sparse {
    double *y;
    size_t *start; /* row i's pairs are [start[i], start[i+1]) */
    uint32_t *idx;
    float *val;
    size_t n, nnz, cap_y, cap_start, cap_pair, cap_val, max_idx;
} data_sparse;

/* Parses one line into s; 0 with err set if it is malformed. A blank line adds nothing. */
DATA_FN int data_libsvm_line(const char *path, size_t line, const char *p, data_sparse *s,
                             char *err, size_t errlen) {
    const char *q, *why;
    char tok[32];
    double v;
    size_t prev = 0, idx;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return 1;
    if (!(q = data_number(p, &v, &why)) || *q == ',')
        return data_fail(err, errlen, "%s:%zu: label '%s' is %s", path, line, data_token(p, tok),
                         q ? "not a number" : why);
    if (!data_grow((void **)&s->y, &s->cap_y, s->n + 1, sizeof(double)) ||
        !data_grow((void **)&s->start, &s->cap_start, s->n + 2, sizeof(size_t)))
        return data_fail(err, errlen, "%s:%zu: out of memory", path, line);
    s->y[s->n] = v;
    for (p = q;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (!isdigit((unsigned char)*p))
            return data_fail(err, errlen, "%s:%zu: expected index:value, found '%s'", path, line,
                             data_token(p, tok));
        for (q = p, idx = 0; isdigit((unsigned char)*q); q++)
            if (idx <= DATA_MAX_FEATURES) idx = 10 * idx + (size_t)(*q - '0');
        if (idx > DATA_MAX_FEATURES)
            return data_fail(err, errlen, "%s:%zu: index %s is too large (at most %u features)",
                             path, line, data_token(p, tok), DATA_MAX_FEATURES);
        if (idx == 0) return data_fail(err, errlen, "%s:%zu: index 0 (indices start at 1)", path, line);
        if (idx <= prev)
            return data_fail(err, errlen, "%s:%zu: index %zu after %zu (indices must increase)",
                             path, line, idx, prev);
        if (*q != ':')
            return data_fail(err, errlen, "%s:%zu: expected ':' after index %zu, found %s%s%s", path,
                             line, idx, *q ? "'" : "the end of the line", data_token(q, tok), *q ? "'" : "");
        p = q + 1;
        if (!(q = data_number(p, &v, &why)))
            return data_fail(err, errlen, "%s:%zu: value of index %zu ('%s') is %s", path, line,
                             idx, data_token(p, tok), why);
        if (v != 0.0) {
            if (!data_grow((void **)&s->idx, &s->cap_pair, s->nnz + 1, sizeof(uint32_t)) ||
                !data_grow((void **)&s->val, &s->cap_val, s->nnz + 1, sizeof(float)))
                return data_fail(err, errlen, "%s:%zu: out of memory", path, line);
            s->idx[s->nnz] = (uint32_t)(idx - 1);
            s->val[s->nnz++] = (float)v;
        }
        if (idx > s->max_idx) s->max_idx = idx;
        prev = idx, p = q;
    }
    s->start[++s->n] = s->nnz;
    return 1;
}

/* n rows of m floats, zeroed; 0 with err set if that is too large. */
DATA_FN float *data_matrix(const char *path, size_t n, size_t m, char *err, size_t errlen) {
    float *X = NULL;
    if (m == 0 || n <= SIZE_MAX / sizeof(float) / m) X = data_floats(n * m > 0 ? n * m : 1);
    if (!X) data_fail(err, errlen, "%s: out of memory for %zu x %zu floats", path, n, m);
    else memset(X, 0, n * m * sizeof(float));
    return X;
}

DATA_FN int data_read_libsvm(const char *path, FILE *f, size_t min_m, dataset *d, char *err,
                             size_t errlen) {
    data_lines r;
    data_sparse s;
    int ok = 1, got;
    size_t i, k, m;
    memset(&r, 0, sizeof r);
    memset(&s, 0, sizeof s);
    r.f = f;
    if (!data_grow((void **)&s.start, &s.cap_start, 1, sizeof(size_t)))
        return data_fail(err, errlen, "%s: out of memory", path);
    s.start[0] = 0;
    while (ok && (got = data_next_line(&r)) == 1) {
        if (memchr(r.text, '\0', r.len))
            ok = data_fail(err, errlen, "%s:%zu: NUL byte (not a text file)", path, r.line);
        else
            ok = data_libsvm_line(path, r.line, r.text, &s, err, errlen);
    }
    if (ok && got < 0) ok = data_fail(err, errlen, "%s:%zu: read error or out of memory", path, r.line + 1);
    if (ok && s.n == 0) ok = data_fail(err, errlen, "%s: no data (empty file)", path);
    if (ok) {
        m = s.max_idx > min_m ? s.max_idx : min_m;
        if (m == 0) m = 1; /* rows with labels only: one zero feature */
        d->X = data_matrix(path, s.n, m, err, errlen);
        ok = d->X != NULL;
    }
    if (ok) {
        for (i = 0; i < s.n; i++)
            for (k = s.start[i]; k < s.start[i + 1]; k++) d->X[i * m + s.idx[k]] = s.val[k];
        d->y = s.y, s.y = NULL;
        d->n = s.n, d->m = m;
    }
    free(r.buf);
    free(s.y);
    free(s.start);
    free(s.idx);
    free(s.val);
    return ok;
}

/* ---- CSV: comma-separated numbers; the first line may be a header ---- */

/* 1 if every field of the line reads as a number (finite or not): then it is not a header. */
DATA_FN int data_csv_numeric(const char *p) {
    for (;;) {
        char *e;
        while (*p == ' ' || *p == '\t') p++;
        (void)strtod(p, &e);
        if (e == p) return 0;
        for (p = e; *p == ' ' || *p == '\t'; p++) {}
        if (*p == '\0') return 1;
        if (*p++ != ',') return 0;
    }
}

DATA_FN int data_read_csv(const char *path, FILE *f, size_t col, dataset *d, char *err,
                          size_t errlen) {
    data_lines r;
    int ok = 1, got;
    size_t ncol = 0, first = 0, n = 0, cap_x = 0, cap_y = 0, k;
    float *X = NULL;
    double *y = NULL;
    char tok[32];
    memset(&r, 0, sizeof r);
    r.f = f;
    while (ok && (got = data_next_line(&r)) == 1) {
        const char *p = r.text, *q, *why;
        size_t fields = 1, j = 0;
        double v;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) continue;
        if (memchr(r.text, '\0', r.len)) {
            ok = data_fail(err, errlen, "%s:%zu: NUL byte (not a text file)", path, r.line);
            break;
        }
        for (q = p; *q; q++) fields += *q == ',';
        if (ncol == 0) {
            ncol = fields, first = r.line;
            if (col >= ncol) {
                ok = data_fail(err, errlen, "%s:%zu: label column %zu, but the line has %zu columns",
                               path, r.line, col, ncol);
                break;
            }
            if (ncol < 2) {
                ok = data_fail(err, errlen, "%s:%zu: one column: no features", path, r.line);
                break;
            }
            if (!data_csv_numeric(p)) continue; /* the header */
        } else if (fields != ncol) {
            ok = data_fail(err, errlen, "%s:%zu: %zu fields, expected %zu (as on line %zu)", path,
                           r.line, fields, ncol, first);
            break;
        }
        if (!data_grow((void **)&X, &cap_x, (n + 1) * (ncol - 1), sizeof(float)) ||
            !data_grow((void **)&y, &cap_y, n + 1, sizeof(double))) {
            ok = data_fail(err, errlen, "%s:%zu: out of memory", path, r.line);
            break;
        }
        for (k = 0; k < ncol; k++) {
            while (*p == ' ' || *p == '\t') p++;
            if (!(q = data_number(p, &v, &why))) {
                const char *what = k == col ? "label column" : "column";
                if (*p == ',' || *p == '\0')
                    ok = data_fail(err, errlen, "%s:%zu: %s %zu is empty", path, r.line, what, k);
                else
                    ok = data_fail(err, errlen, "%s:%zu: %s %zu: '%s' is %s", path, r.line, what, k,
                                   data_token(p, tok), why);
                break;
            }
            for (p = q; *p == ' ' || *p == '\t'; p++) {}
            if (*p == ',') p++;
            if (k == col) y[n] = v;
            else X[n * (ncol - 1) + j++] = (float)v;
        }
        n++;
    }
    if (ok && got < 0) ok = data_fail(err, errlen, "%s:%zu: read error or out of memory", path, r.line + 1);
    if (ok && n == 0) ok = data_fail(err, errlen, "%s: no data (empty file%s)", path, ncol ? " but a header" : "");
    free(r.buf);
    if (ok && !(d->X = data_matrix(path, n, ncol - 1, err, errlen))) ok = 0;
    if (!ok) {
        free(X);
        free(y);
        return 0;
    }
    memcpy(d->X, X, n * (ncol - 1) * sizeof(float));
    free(X);
    d->y = y, d->n = n, d->m = ncol - 1;
    return 1;
}

/* ---- idx (LeCun's MNIST format): big-endian header, then unsigned bytes ---- */

/* Reads an idx header with 1 to 3 dimensions; dims[] gets them, *nd their number; *pos = 4 +
   4*nd, the offset of the data. */
DATA_FN int data_idx_header(const char *path, FILE *f, uint32_t dims[3], int *nd, size_t *pos,
                            char *err, size_t errlen) {
    unsigned char h[16];
    size_t got = fread(h, 1, 4, f);
    int k;
    if (got >= 2 && h[0] == 0x1f && h[1] == 0x8b)
        return data_fail(err, errlen, "%s: byte 0: gzip-compressed; decompress it first (gzip -dc)", path);
    if (got == 0) return data_fail(err, errlen, "%s: byte 0: empty file", path);
    if (got < 4) return data_fail(err, errlen, "%s: byte %zu: file ends inside the header", path, got);
    if (h[0] != 0 || h[1] != 0)
        return data_fail(err, errlen, "%s: byte 0: magic %02x %02x %02x %02x is not idx (00 00 08 0n)",
                         path, h[0], h[1], h[2], h[3]);
    if (h[2] != 0x08)
        return data_fail(err, errlen, "%s: byte 2: data type 0x%02x not supported (only 0x08, unsigned byte)",
                         path, h[2]);
    if (h[3] < 1 || h[3] > 3)
        return data_fail(err, errlen, "%s: byte 3: %u dimensions not supported (1 to 3)", path, h[3]);
    *nd = h[3];
    got = fread(h + 4, 1, 4 * (size_t)*nd, f);
    if (got < 4 * (size_t)*nd)
        return data_fail(err, errlen, "%s: byte %zu: file ends inside the header", path, 4 + got);
    for (k = 0; k < *nd; k++)
        dims[k] = (uint32_t)h[4 + 4 * k] << 24 | (uint32_t)h[5 + 4 * k] << 16 |
                  (uint32_t)h[6 + 4 * k] << 8 | h[7 + 4 * k];
    *pos = 4 + 4 * (size_t)*nd;
    return 1;
}

/* Reads the count data bytes of f (which start at offset pos) into X as pixels scaled to
   [0, 1], or into y as labels; fails on a short file or on data after them. */
DATA_FN int data_idx_bytes(const char *path, FILE *f, size_t pos, size_t count, float *X,
                           double *y, char *err, size_t errlen) {
    unsigned char buf[1 << 16];
    size_t done = 0, got, i;
    while (done < count) {
        size_t want = count - done < sizeof buf ? count - done : sizeof buf;
        got = fread(buf, 1, want, f);
        for (i = 0; i < got; i++) {
            if (X) X[done + i] = (float)buf[i] / 255.0f;
            else y[done + i] = buf[i];
        }
        done += got;
        if (got < want)
            return data_fail(err, errlen, "%s: byte %zu: file ends after %zu of %zu data bytes", path,
                             pos + done, done, count);
    }
    if (fgetc(f) != EOF)
        return data_fail(err, errlen, "%s: byte %zu: data after the last item", path, pos + count);
    return 1;
}

/* The labels file of an images file: the last "images-idx3" in the name -> "labels-idx1". */
DATA_FN char *data_idx_labels_name(const char *images) {
    const char *hit = NULL, *p = images;
    char *s;
    while ((p = strstr(p, "images-idx3")) != NULL) hit = p++;
    if (!hit || !(s = (char *)malloc(strlen(images) + 1))) return NULL;
    memcpy(s, images, (size_t)(hit - images));
    memcpy(s + (hit - images), "labels-idx1", 11);
    strcpy(s + (hit - images) + 11, hit + 11);
    return s;
}

DATA_FN int data_read_idx(const char *path, FILE *f, const char *labels, dataset *d, char *err,
                          size_t errlen) {
    uint32_t dims[3], ldims[3];
    int nd, lnd, ok;
    size_t pos, lpos, n, m;
    char *derived = NULL;
    FILE *lf;
    float *X;
    double *y;
    if (!data_idx_header(path, f, dims, &nd, &pos, err, errlen)) return 0;
    if (nd < 2) return data_fail(err, errlen, "%s: byte 3: 1 dimension: a labels file, not images", path);
    n = dims[0], m = dims[1] * (size_t)(nd == 3 ? dims[2] : 1);
    if (n == 0 || m == 0) return data_fail(err, errlen, "%s: byte 4: no images (dimensions %zu x %zu)", path, n, m);
    if (!labels && !(labels = derived = data_idx_labels_name(path)))
        return data_fail(err, errlen, "%s: no \"images-idx3\" in the name to find the labels file (use -L)", path);
    lf = fopen(labels, "rb");
    if (!lf) {
        ok = data_fail(err, errlen, "%s: %s", labels, strerror(errno));
        free(derived);
        return ok;
    }
    ok = data_idx_header(labels, lf, ldims, &lnd, &lpos, err, errlen);
    if (ok && lnd != 1)
        ok = data_fail(err, errlen, "%s: byte 3: %d dimensions, expected 1 (labels)", labels, lnd);
    if (ok && ldims[0] != n)
        ok = data_fail(err, errlen, "%s: byte 4: %lu labels, but %s has %zu images", labels,
                       (unsigned long)ldims[0], path, n);
    X = ok ? data_matrix(path, n, m, err, errlen) : NULL;
    y = X ? (double *)malloc(n * sizeof(double)) : NULL;
    if (X && !y) data_fail(err, errlen, "%s: out of memory", labels);
    ok = y && data_idx_bytes(path, f, pos, n * m, X, NULL, err, errlen) &&
         data_idx_bytes(labels, lf, lpos, n, NULL, y, err, errlen);
    fclose(lf);
    free(derived);
    if (!ok) {
        data_free_floats(X);
        free(y);
        return 0;
    }
    d->X = X, d->y = y, d->n = n, d->m = m;
    return 1;
}

/* ---- any format ---- */

/* Reads path into *d (untouched on failure); 0 with the message in err on failure. */
DATA_FN int data_load(const char *path, const data_spec *spec, dataset *d, char *err, size_t errlen) {
    data_format fmt = spec->format == DATA_AUTO ? data_guess_format(path) : spec->format;
    dataset t;
    FILE *f = fopen(path, "rb");
    int ok;
    if (!f) return data_fail(err, errlen, "%s: %s", path, strerror(errno));
    memset(&t, 0, sizeof t);
    if (fmt == DATA_CSV) ok = data_read_csv(path, f, spec->label_col, &t, err, errlen);
    else if (fmt == DATA_IDX) ok = data_read_idx(path, f, spec->labels, &t, err, errlen);
    else ok = data_read_libsvm(path, f, spec->min_m, &t, err, errlen);
    fclose(f);
    if (ok) *d = t;
    return ok;
}

#endif /* LOGREG_DATAIO_H */
