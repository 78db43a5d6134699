/* Tests of the I/O around the trainer: the example tools' readers (libsvm, CSV, idx) on good
   and malformed files, the model file format (round trips through memory and files, and the
   rejection of every truncation, every flipped bit and each bad field), one-vs-rest against
   separately trained binary models, class and sample weights, and standardization folded back
   into the model. Files are written under a fresh mkdtemp directory, removed at the end.
   Build: cc -std=c99 -Wall -Wextra -Wpedantic -Werror -I. tests/test_io.c -lm -lpthread
   Run from the repository root (it reads examples/data/wdbc.csv): test_io [path...]. */
#define _POSIX_C_SOURCE 200809L
#define LOGREG_IMPLEMENTATION
#include "logreg.h"

#include <dirent.h>
#include <unistd.h>

#include "../examples/cli.h"
#include "harness.h"

static char tmpdir[256];

/* tmpdir/name */
static const char *tmp_path(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static const char *write_file(const char *name, const void *data, size_t len) {
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) printf("cannot write %s\n", path);
    if (f) fclose(f);
    return path;
}

static const char *write_text(const char *name, const char *text) {
    return write_file(name, text, strlen(text));
}

/* Loads text written as a file `name` with the spec; *err holds the message on failure. */
static int load_text(const char *name, const char *text, const data_spec *spec, dataset *d,
                     char *err) {
    data_spec def;
    memset(&def, 0, sizeof def);
    memset(d, 0, sizeof *d);
    err[0] = '\0';
    return data_load(write_text(name, text), spec ? spec : &def, d, err, 512);
}

/* A malformed file must be refused with a message naming the file, the place and the problem. */
static void expect_reject(const char *name, const char *text, const data_spec *spec,
                          const char *where, const char *what) {
    dataset d;
    char err[512];
    int ok = load_text(name, text, spec, &d, err);
    CHECK(!ok, "%s: accepted", name);
    if (ok) data_free(&d);
    CHECK(strstr(err, name) && strstr(err, where) && strstr(err, what),
          "%s: message '%s' lacks '%s' or '%s'", name, err, where, what);
}

static void test_libsvm(void) {
    dataset d;
    char err[512];
    data_spec spec;
    int ok;
    /* CRLF, a blank line, trailing blanks, explicit zeros, no final newline */
    ok = load_text("a.svm", "1 1:0.5 3:2\r\n\r\n0 2:1 \r\n-1 3:-4 4:0", NULL, &d, err);
    CHECK(ok, "libsvm: %s", err);
    if (ok) {
        static const float X[] = {0.5f, 0, 2, 0, 0, 1, 0, 0, 0, 0, -4, 0};
        CHECK(d.n == 3 && d.m == 4, "libsvm shape %zu x %zu, expected 3 x 4", d.n, d.m);
        CHECK(d.n == 3 && d.y[0] == 1 && d.y[1] == 0 && d.y[2] == -1, "libsvm labels");
        CHECK(d.n * d.m == 12 && memcmp(d.X, X, sizeof X) == 0, "libsvm values");
        data_free(&d);
    }
    memset(&spec, 0, sizeof spec);
    spec.min_m = 7;
    ok = load_text("b.svm", "1 1:0.5\n0 2:1\n", &spec, &d, err);
    CHECK(ok && d.m == 7, "libsvm min_m: m = %zu, expected 7 (%s)", d.m, err);
    if (ok) data_free(&d);

    expect_reject("bad-value.svm", "1 1:1\n0 1:0.5 3:abc\n", NULL, ":2:", "not a number");
    expect_reject("huge-index.svm", "0 1:1\n1 99999999999:1\n", NULL, ":2:", "too large");
    expect_reject("huge-index2.svm", "1 16777217:1\n", NULL, ":1:", "too large");
    expect_reject("decreasing.svm", "1 3:1 2:1\n", NULL, ":1:", "must increase");
    expect_reject("repeated.svm", "1 2:1 2:1\n", NULL, ":1:", "must increase");
    expect_reject("zero-index.svm", "1 0:1\n", NULL, ":1:", "index 0");
    expect_reject("negative-index.svm", "1 -2:1\n", NULL, ":1:", "expected index:value");
    expect_reject("empty.svm", "", NULL, "empty.svm", "empty");
    expect_reject("blank.svm", "\n  \r\n\n", NULL, "blank.svm", "empty");
    expect_reject("nan.svm", "1 1:1\r\n0 1:nan\r\n", NULL, ":2:", "NaN or infinite");
    expect_reject("inf.svm", "1 1:inf\n", NULL, ":1:", "NaN or infinite");
    expect_reject("ninf.svm", "1 1:-Infinity\n", NULL, ":1:", "NaN or infinite");
    expect_reject("overflow.svm", "1 1:1e999\n", NULL, ":1:", "NaN or infinite");
    expect_reject("floatrange.svm", "1 1:1e39\n", NULL, ":1:", "float range");
    expect_reject("label.svm", "1 1:1\nabc 1:1\n", NULL, ":2:", "label 'abc' is not a number");
    expect_reject("label-nan.svm", "nan 1:1\n", NULL, ":1:", "label 'nan' is NaN");
    expect_reject("label-comma.svm", "1,2 1:1\n", NULL, ":1:", "not a number");
    expect_reject("no-colon.svm", "1 1:1 2\n", NULL, ":1:", "expected ':'");
    expect_reject("no-value.svm", "1 1:\n", NULL, ":1:", "missing");
    expect_reject("space-value.svm", "1 1: 2\n", NULL, ":1:", "missing");
    expect_reject("junk.svm", "1 1:2x\n", NULL, ":1:", "not a number");
    write_file("nul.svm", "1 1:1\n0 1:\0002\n", 12);
    memset(&spec, 0, sizeof spec);
    ok = data_load(tmp_path("nul.svm"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, ":2:") && strstr(err, "NUL"), "NUL byte: %s", err);
    ok = data_load(tmp_path("does-not-exist.svm"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "does-not-exist.svm"), "missing file: %s", err);
}

static void test_csv(void) {
    dataset d;
    char err[512];
    data_spec spec;
    int ok;
    memset(&spec, 0, sizeof spec);
    ok = load_text("h.csv", "label,a,b\r\n1,2,3\r\n0, 4 ,5\r\n", NULL, &d, err);
    CHECK(ok && d.n == 2 && d.m == 2, "csv with header: %s", err);
    if (ok) {
        CHECK(d.y[0] == 1 && d.y[1] == 0 && d.X[0] == 2 && d.X[1] == 3 && d.X[2] == 4 && d.X[3] == 5,
              "csv with header: values");
        data_free(&d);
    }
    spec.label_col = 2;
    ok = load_text("n.csv", "1,2,3\n4,5,6\n", &spec, &d, err);
    CHECK(ok && d.n == 2 && d.m == 2, "csv without header: %s", err);
    if (ok) {
        CHECK(d.y[0] == 3 && d.y[1] == 6 && d.X[0] == 1 && d.X[1] == 2 && d.X[2] == 4 && d.X[3] == 5,
              "csv label column 2: values");
        data_free(&d);
    }
    expect_reject("ragged.csv", "a,b,c\n1,2,3\n0,1\n", NULL, ":3:", "2 fields, expected 3");
    expect_reject("ragged2.csv", "1,2,3\n0,1,2,3\n", NULL, ":2:", "4 fields, expected 3");
    expect_reject("nan.csv", "a,b,c\r\n1,2,nan\r\n", NULL, ":2:", "NaN or infinite");
    expect_reject("inf.csv", "1,2,3\n1,-inf,3\n", NULL, ":2:", "NaN or infinite");
    expect_reject("empty-field.csv", "a,b,c\n1,,3\n", NULL, ":2:", "column 1 is empty");
    expect_reject("trailing-comma.csv", "1,2,3\n1,2,\n", NULL, ":2:", "column 2 is empty");
    expect_reject("label.csv", "a,b\n1,2\nfoo,3\n", NULL, ":3:", "label column 0: 'foo' is not a number");
    expect_reject("label-nan.csv", "a,b\nnan,3\n", NULL, ":2:", "NaN");
    expect_reject("header-only.csv", "a,b,c\r\n", NULL, "header-only.csv", "no data");
    expect_reject("empty.csv", "", NULL, "empty.csv", "empty");
    expect_reject("one-column.csv", "1\n0\n", NULL, ":1:", "no features");
    memset(&spec, 0, sizeof spec);
    spec.label_col = 3;
    expect_reject("column.csv", "1,2,3\n", &spec, ":1:", "label column 3");
}

/* An idx file: magic 00 00 08 nd, nd big-endian dimensions, then the bytes. */
static size_t make_idx(unsigned char *buf, int nd, const uint32_t *dims, const unsigned char *data,
                       size_t len) {
    size_t p = 4;
    int k;
    buf[0] = 0, buf[1] = 0, buf[2] = 8, buf[3] = (unsigned char)nd;
    for (k = 0; k < nd; k++, p += 4)
        buf[p] = (unsigned char)(dims[k] >> 24), buf[p + 1] = (unsigned char)(dims[k] >> 16),
        buf[p + 2] = (unsigned char)(dims[k] >> 8), buf[p + 3] = (unsigned char)dims[k];
    memcpy(buf + p, data, len);
    return p + len;
}

static void test_idx(void) {
    static const unsigned char pix[12] = {0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}, lab[3] = {9, 0, 3};
    uint32_t di[3] = {3, 2, 2}, dl[1] = {3}, dl2[1] = {2};
    unsigned char buf[64];
    dataset d;
    data_spec spec;
    char err[512], labels[512];
    size_t ni, nl;
    int ok;
    memset(&spec, 0, sizeof spec);
    ni = make_idx(buf, 3, di, pix, sizeof pix);
    write_file("t-images-idx3-ubyte", buf, ni);
    nl = make_idx(buf, 1, dl, lab, sizeof lab);
    write_file("t-labels-idx1-ubyte", buf, nl);
    ok = data_load(tmp_path("t-images-idx3-ubyte"), &spec, &d, err, sizeof err); /* labels by name */
    CHECK(ok && d.n == 3 && d.m == 4, "idx: %s", err);
    if (ok) {
        CHECK(d.X[0] == 0.0f && d.X[1] == 1.0f && d.X[2] == 0.2f && d.X[3] == 0.4f &&
                  d.X[11] == 8.0f / 255.0f,
              "idx pixels scaled to [0, 1]");
        CHECK(d.y[0] == 9 && d.y[1] == 0 && d.y[2] == 3, "idx labels");
        data_free(&d);
    }
    /* bad images files, with the labels given by -L */
    snprintf(labels, sizeof labels, "%s", tmp_path("t-labels-idx1-ubyte"));
    spec.format = DATA_IDX;
    spec.labels = labels;
    write_file("short-idx3", buf, 0);
    ok = data_load(tmp_path("short-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 0") && strstr(err, "empty"), "empty idx: %s", err);
    make_idx(buf, 3, di, pix, sizeof pix);
    write_file("trunc-idx3", buf, ni - 5);
    ok = data_load(tmp_path("trunc-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "trunc-idx3: byte 23") && strstr(err, "7 of 12"), "truncated idx: %s", err);
    write_file("head-idx3", buf, 10);
    ok = data_load(tmp_path("head-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 10") && strstr(err, "header"), "truncated idx header: %s", err);
    buf[ni] = 1;
    write_file("long-idx3", buf, ni + 1);
    ok = data_load(tmp_path("long-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 28") && strstr(err, "after the last"), "trailing idx data: %s", err);
    buf[2] = 0x0d;
    write_file("float-idx3", buf, ni);
    ok = data_load(tmp_path("float-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 2") && strstr(err, "0x0d"), "idx data type: %s", err);
    buf[0] = 0x1f, buf[1] = 0x8b;
    write_file("gz-idx3", buf, ni);
    ok = data_load(tmp_path("gz-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 0") && strstr(err, "gzip"), "gzip idx: %s", err);
    buf[0] = 'P', buf[1] = 'K';
    write_file("magic-idx3", buf, ni);
    ok = data_load(tmp_path("magic-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "byte 0") && strstr(err, "magic"), "idx magic: %s", err);
    /* labels that do not match */
    make_idx(buf, 3, di, pix, sizeof pix);
    write_file("u-images-idx3-ubyte", buf, ni);
    nl = make_idx(buf, 1, dl2, lab, 2);
    write_file("u-labels-idx1-ubyte", buf, nl);
    spec.labels = NULL;
    ok = data_load(tmp_path("u-images-idx3-ubyte"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "u-labels-idx1-ubyte: byte 4") && strstr(err, "2 labels"), "idx label count: %s", err);
    ok = data_load(tmp_path("trunc-idx3"), &spec, &d, err, sizeof err);
    CHECK(!ok && strstr(err, "-L"), "idx without a labels name: %s", err);
}

/* ---- model files ---- */

static uint64_t fnv1a(const unsigned char *p, size_t n) { /* an independent FNV-1a 64 */
    uint64_t h = 14695981039346656037ull;
    while (n--) h = (h ^ *p++) * 1099511628211ull;
    return h;
}
static uint64_t get_le(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    while (bytes--) v = v << 8 | p[bytes];
    return v;
}
static void put_le(unsigned char *p, uint64_t v, int bytes) {
    int k;
    for (k = 0; k < bytes; k++) p[k] = (unsigned char)(v >> (8 * k));
}
static void reseal(unsigned char *buf, size_t size) { /* a valid checksum after an edit */
    put_le(buf + size - 8, fnv1a(buf, size - 8), 8);
}

static int same_model(const logreg_model *a, const logreg_model *b) {
    size_t V = a->vectors;
    return a->m == b->m && a->classes == b->classes && a->vectors == b->vectors &&
           memcmp(a->labels, b->labels, a->classes * sizeof(double)) == 0 &&
           memcmp(a->W, b->W, V * a->m * sizeof(float)) == 0 &&
           memcmp(a->B, b->B, V * sizeof(float)) == 0;
}

/* A load that must fail with `want` (0: any failure) and leave *out as it was. */
static void expect_load_fails(const unsigned char *buf, size_t size, logreg_status want,
                              const char *what, size_t at) {
    logreg_model out, before;
    logreg_status st;
    memset(&out, 0xab, sizeof out);
    before = out;
    st = logreg_model_load_mem(buf, size, &out);
    CHECK(st != LOGREG_OK && (want == LOGREG_OK || st == want), "%s %zu: status %d (%s), expected %d",
          what, at, (int)st, logreg_status_string(st), (int)want);
    CHECK(memcmp(&out, &before, sizeof out) == 0, "%s %zu: output changed", what, at);
    if (st == LOGREG_OK) logreg_model_free(&out);
}

static int count_tmp_files(void) {
    DIR *dir = opendir(tmpdir);
    struct dirent *e;
    int k = 0;
    if (!dir) return -1;
    while ((e = readdir(dir)) != NULL) k += strstr(e->d_name, ".tmp") != NULL;
    closedir(dir);
    return k;
}

static int file_equals(const char *path, const unsigned char *data, size_t len) {
    unsigned char buf[4096];
    FILE *f = fopen(path, "rb");
    size_t got;
    if (!f) return 0;
    got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return got == len && memcmp(buf, data, len) == 0;
}

static void test_model_files(void) {
    double labels[3] = {2.0, -1.0, 7.5};
    float W[3 * 5], B[3], w3, b2;
    logreg_model mo, back, bin;
    unsigned char buf[512], edit[512];
    size_t size = 0, size2 = 0, i, bit;
    logreg_status st;
    const char *path = tmp_path("m.model");
    for (i = 0; i < 15; i++) W[i] = (float)((double)i * 0.37 - 2.0) * (i % 4 == 0 ? 1e-30f : 1.0f);
    for (i = 0; i < 3; i++) B[i] = (float)i - 0.25f;
    W[7] = -0.0f;
    mo.m = 5, mo.classes = 3, mo.vectors = 3, mo.labels = labels, mo.W = W, mo.B = B;

    /* sizes and the documented layout */
    st = logreg_model_save_mem(&mo, NULL, 0, &size);
    CHECK(st == LOGREG_OK && size == 40 + 8 * 3 + 4 * 3 * 6, "model size %zu", size);
    memset(buf, 0x5a, sizeof buf);
    st = logreg_model_save_mem(&mo, buf, size - 1, &size2);
    CHECK(st == LOGREG_ERR_ARG && buf[0] == 0x5a, "short buffer: status %d", (int)st);
    st = logreg_model_save_mem(&mo, buf, sizeof buf, &size2);
    CHECK(st == LOGREG_OK && size2 == size, "save_mem: %s", logreg_status_string(st));
    CHECK(memcmp(buf, "\x89LRM\r\n\x1a\n", 8) == 0, "magic");
    CHECK(get_le(buf + 8, 4) == 1 && get_le(buf + 12, 4) == 3 && get_le(buf + 16, 4) == 3 &&
              get_le(buf + 20, 4) == 0 && get_le(buf + 24, 8) == 5,
          "header fields");
    {
        uint64_t u;
        uint32_t f;
        memcpy(&u, &labels[2], 8);
        memcpy(&f, &W[5], 4);
        CHECK(get_le(buf + 32 + 16, 8) == u, "label 2 at offset 48");
        CHECK(get_le(buf + 32 + 24 + 4 * 6, 4) == f, "W[1][0] at offset 80");
        memcpy(&f, &B[1], 4);
        CHECK(get_le(buf + 32 + 24 + 4 * 11, 4) == f, "B[1] at offset 100");
    }
    CHECK(get_le(buf + size - 8, 8) == fnv1a(buf, size - 8), "checksum is FNV-1a 64");

    /* round trips */
    memset(&back, 0, sizeof back);
    st = logreg_model_load_mem(buf, size, &back);
    CHECK(st == LOGREG_OK && same_model(&mo, &back), "memory round trip: %s", logreg_status_string(st));
    logreg_model_free(&back);
    CHECK(back.labels == NULL && back.W == NULL && back.m == 0, "free zeroes the model");
    st = logreg_model_save(&mo, path);
    CHECK(st == LOGREG_OK && file_equals(path, buf, size), "file save: %s", logreg_status_string(st));
    st = logreg_model_load(path, &back);
    CHECK(st == LOGREG_OK && same_model(&mo, &back), "file round trip: %s", logreg_status_string(st));
    if (st == LOGREG_OK) logreg_model_free(&back);
    bin = mo;
    bin.classes = 2, bin.vectors = 1;
    st = logreg_model_save(&bin, path); /* replaces the file */
    CHECK(st == LOGREG_OK, "binary save: %s", logreg_status_string(st));
    st = logreg_model_load(path, &back);
    CHECK(st == LOGREG_OK && same_model(&bin, &back), "binary round trip: %s", logreg_status_string(st));
    if (st == LOGREG_OK) logreg_model_free(&back);
    CHECK(count_tmp_files() == 0, "a temporary file was left behind");

    /* models that must not be saved */
    w3 = W[3], b2 = B[2];
    W[3] = NAN;
    CHECK(logreg_model_save(&mo, path) == LOGREG_ERR_NONFINITE, "NaN weight saved");
    W[3] = 1.0f, B[2] = INFINITY;
    CHECK(logreg_model_save_mem(&mo, edit, sizeof edit, &size2) == LOGREG_ERR_NONFINITE, "inf bias saved");
    B[2] = 1.0f, labels[1] = 2.0;
    CHECK(logreg_model_save_mem(&mo, edit, sizeof edit, &size2) == LOGREG_ERR_ARG, "duplicate labels saved");
    labels[1] = -1.0, mo.vectors = 2;
    CHECK(logreg_model_save_mem(&mo, edit, sizeof edit, &size2) == LOGREG_ERR_ARG, "V = 2, K = 3 saved");
    mo.vectors = 3, mo.m = 0;
    CHECK(logreg_model_save_mem(&mo, edit, sizeof edit, &size2) == LOGREG_ERR_ARG, "m = 0 saved");
    mo.m = 5, W[3] = w3, B[2] = b2;
    st = logreg_model_load(path, &back);
    CHECK(st == LOGREG_OK && same_model(&bin, &back), "a refused save changed the file");
    if (st == LOGREG_OK) logreg_model_free(&back);
    CHECK(logreg_model_save(&mo, tmp_path("no-such-dir/m.model")) == LOGREG_ERR_IO, "save into a missing directory");
    CHECK(count_tmp_files() == 0, "a temporary file was left behind");

    /* every truncation, an extra byte, every flipped bit: refused, output untouched */
    for (i = 0; i < size; i++) expect_load_fails(buf, i, LOGREG_ERR_FORMAT, "truncated to", i);
    memcpy(edit, buf, size);
    edit[size] = 0;
    expect_load_fails(edit, size + 1, LOGREG_ERR_FORMAT, "one byte added", size + 1);
    for (i = 0; i < size; i++)
        for (bit = 0; bit < 8; bit++) {
            memcpy(edit, buf, size);
            edit[i] ^= (unsigned char)(1u << bit);
            expect_load_fails(edit, size, LOGREG_OK, "flipped bit in byte", i);
        }
    /* each field wrong, under a valid checksum */
    memcpy(edit, buf, size), edit[1] = 'X', reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "wrong magic", 0);
    memcpy(edit, buf, size), put_le(edit + 8, 2, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_VERSION, "version 2", 0);
    memcpy(edit, buf, size), put_le(edit + 8, 0, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_VERSION, "version 0", 0);
    memcpy(edit, buf, size), put_le(edit + 24, 6, 8), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "m = 6 with 5 weights", 0);
    memcpy(edit, buf, size), put_le(edit + 24, 0, 8), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "m = 0", 0);
    memcpy(edit, buf, size), put_le(edit + 24, 1ull << 62, 8), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "m = 2^62", 0);
    memcpy(edit, buf, size), put_le(edit + 12, 4, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "K = 4 with V = 3", 0);
    memcpy(edit, buf, size), put_le(edit + 12, 1, 4), put_le(edit + 16, 1, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "K = 1", 0);
    memcpy(edit, buf, size), put_le(edit + 20, 1, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "reserved field set", 0);
    memcpy(edit, buf, size), put_le(edit + 32 + 8 + 4 * 6 + 8, 0x7fc00000u, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_NONFINITE, "NaN weight", 0);
    memcpy(edit, buf, size), put_le(edit + 32 + 24 + 4 * 17, 0xff800000u, 4), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_NONFINITE, "-inf bias", 0);
    memcpy(edit, buf, size), put_le(edit + 32, 0x7ff8000000000000ull, 8), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_NONFINITE, "NaN label", 0);
    memcpy(edit, buf, size), memcpy(edit + 40, edit + 32, 8), reseal(edit, size);
    expect_load_fails(edit, size, LOGREG_ERR_FORMAT, "duplicate labels", 0);
    memcpy(edit, buf, size), reseal(edit, size);
    st = logreg_model_load_mem(edit, size, &back); /* the test's resealing is the format's */
    CHECK(st == LOGREG_OK, "resealed original: %s", logreg_status_string(st));
    if (st == LOGREG_OK) logreg_model_free(&back);

    /* files: truncated, missing, a directory */
    for (i = 0; i < size; i += 7) {
        memset(&back, 0, sizeof back);
        st = logreg_model_load(write_file("cut.model", buf, i), &back);
        CHECK(st == LOGREG_ERR_FORMAT && back.W == NULL, "file truncated to %zu: status %d", i, (int)st);
    }
    CHECK(logreg_model_load(tmp_path("none.model"), &back) == LOGREG_ERR_IO, "missing model file");
    CHECK(logreg_model_load(tmpdir, &back) != LOGREG_OK, "a directory loaded as a model");
    remove(tmp_path("cut.model"));
    remove(path);
}

/* ---- training: WDBC ---- */

static int load_wdbc(dataset *d) {
    data_spec spec;
    char err[512];
    memset(&spec, 0, sizeof spec);
    if (data_load("examples/data/wdbc.csv", &spec, d, err, sizeof err)) return 1;
    CHECK(0, "WDBC: %s (run the test from the repository root)", err);
    return 0;
}

static void test_classes(void) {
    double y[6] = {3, 1, 3, 2, 3, 1};
    classes cl;
    float sw[6];
    class_weight cw[2];
    char err[512];
    int ok = classes_find(y, 6, &cl, err, sizeof err);
    size_t i;
    CHECK(ok && cl.K == 3 && cl.label[0] == 1 && cl.label[1] == 2 && cl.label[2] == 3, "classes_find");
    if (!ok) return;
    CHECK(cl.count[0] == 2 && cl.count[1] == 1 && cl.count[2] == 3, "class counts");
    CHECK(cl.cls[0] == 2 && cl.cls[1] == 0 && cl.cls[3] == 1, "row classes");
    CHECK(classes_index(&cl, 2.0) == 1 && classes_index(&cl, 5.0) == -1, "classes_index");
    /* balanced: n/(K n_c), so each class weighs n/K in all */
    classes_weights(&cl, 1, NULL, 0, sw, err, sizeof err);
    CHECK(fabsf(sw[1] - 1.0f) < 1e-6f && fabsf(sw[3] - 2.0f) < 1e-6f && fabsf(sw[0] - 2.0f / 3) < 1e-6f,
          "balanced weights %g %g %g", sw[1], sw[3], sw[0]);
    cw[0].label = 3, cw[0].weight = 2.5, cw[1].label = 9, cw[1].weight = 4;
    classes_weights(&cl, 0, cw, 2, sw, err, sizeof err);
    for (i = 0; i < 6; i++) CHECK(sw[i] == (y[i] == 3 ? 2.5f : 1.0f), "-w3 2.5: row %zu weight %g", i, sw[i]);
    cw[0].weight = -1;
    CHECK(!classes_weights(&cl, 0, cw, 1, sw, err, sizeof err), "negative class weight accepted");
    classes_free(&cl);
    CHECK(classes_one_vs_rest(y, 6, 3.0) == 3 && y[0] == 1 && y[1] == 0, "-p 3");
}

/* Standardizes a copy of X (n x m). */
static float *standardized(const float *X, size_t n, size_t m, float *mean, float *scale) {
    float *Z = (float *)malloc(n * m * sizeof(float));
    memcpy(Z, X, n * m * sizeof(float));
    CHECK(logreg_column_stats(Z, n, m, m, mean, scale) == LOGREG_OK, "column_stats");
    CHECK(logreg_standardize(Z, n, m, m, mean, scale) == LOGREG_OK, "standardize");
    return Z;
}

static void test_standardize(const dataset *d) {
    size_t n = d->n, m = d->m, i, j;
    float *X = (float *)malloc(n * (m + 1) * sizeof(float)), *mean = (float *)malloc(2 * (m + 1) * sizeof(float));
    float *scale = mean + m + 1, *Z, w[64], b = 0.3f, w2[64], b2;
    double worst_mean = 0, worst_sd = 0, worst_z = 0;
    /* WDBC plus a constant column */
    for (i = 0; i < n; i++) {
        memcpy(X + i * (m + 1), d->X + i * m, m * sizeof(float));
        X[i * (m + 1) + m] = 42.0f;
    }
    Z = standardized(X, n, m + 1, mean, scale);
    for (j = 0; j <= m; j++) { /* against a two-pass double reference */
        double mu = 0, ss = 0, sd;
        for (i = 0; i < n; i++) mu += X[i * (m + 1) + j];
        mu /= (double)n;
        for (i = 0; i < n; i++) ss += (X[i * (m + 1) + j] - mu) * (X[i * (m + 1) + j] - mu);
        sd = sqrt(ss / (double)n);
        worst_mean = fmax(worst_mean, fabs(mean[j] - mu) / (sd > 0 ? sd : 1));
        if (sd > 0) worst_sd = fmax(worst_sd, fabs(scale[j] - sd) / sd);
    }
    CHECK(worst_mean < 1e-6 && worst_sd < 1e-6, "stats vs two-pass double: mean %.2g, sd %.2g", worst_mean, worst_sd);
    CHECK(mean[m] == 42.0f && scale[m] == 1.0f && Z[m] == 0.0f, "constant column: mean %g scale %g", mean[m], scale[m]);
    /* folding: the raw model's z equals the standardized model's z */
    for (j = 0; j <= m; j++) w[j] = w2[j] = (float)(0.1 * ((double)j - 12.0));
    b2 = b;
    CHECK(logreg_fold_scaling(w2, &b2, m + 1, mean, scale) == LOGREG_OK, "fold_scaling");
    for (i = 0; i < n; i++) {
        double z1 = b, z2 = b2;
        for (j = 0; j <= m; j++) z1 += (double)w[j] * Z[i * (m + 1) + j], z2 += (double)w2[j] * X[i * (m + 1) + j];
        worst_z = fmax(worst_z, fabs(z1 - z2) / (1 + fabs(z1)));
    }
    CHECK(worst_z < 1e-4, "folded model: z differs by %.2g", worst_z);
    CHECK(w2[m] == w[m], "constant column's weight unchanged");
    scale[0] = 0;
    CHECK(logreg_standardize(Z, n, m + 1, m + 1, mean, scale) == LOGREG_ERR_ARG, "scale 0 accepted");
    CHECK(logreg_fold_scaling(w2, &b2, m + 1, mean, scale) == LOGREG_ERR_ARG, "fold with scale 0 accepted");
    X[5] = NAN;
    CHECK(logreg_column_stats(X, n, m + 1, m + 1, mean, scale) == LOGREG_ERR_NONFINITE, "NaN in stats accepted");
    free(X), free(mean), free(Z);
}

/* Weight 2 on the positive rows = the positive rows twice (same weighted mean objective). */
static void test_sample_weights(const dataset *d) {
    size_t n = d->n, m = d->m, i, j, n2 = 0;
    float *mean = (float *)malloc(2 * m * sizeof(float)), *scale = mean + m;
    float *Z = standardized(d->X, n, m, mean, scale), *Z2 = (float *)malloc(2 * n * m * sizeof(float));
    float *y = (float *)malloc(3 * n * sizeof(float)), *y2 = y + n, *sw = (float *)malloc(n * sizeof(float));
    float w1[64] = {0}, w2[64] = {0}, b1 = 0, b2 = 0, worst = 0;
    logreg_options opt;
    logreg_report r1, r2;
    for (i = 0; i < n; i++) {
        y[i] = (float)d->y[i], sw[i] = y[i] == 1.0f ? 2.0f : 1.0f;
        for (j = 0; j < (size_t)(y[i] == 1.0f ? 2 : 1); j++, n2++) {
            memcpy(Z2 + n2 * m, Z + i * m, m * sizeof(float));
            y2[n2] = y[i];
        }
    }
    memset(&opt, 0, sizeof opt);
    opt.l2 = 1e-2f, opt.tol = 1e-7;
    opt.sample_weight = sw;
    CHECK(logreg_train(Z, n, m, m, y, &opt, w1, &b1, &r1) == LOGREG_OK, "weighted training");
    opt.sample_weight = NULL;
    CHECK(logreg_train(Z2, n2, m, m, y2, &opt, w2, &b2, &r2) == LOGREG_OK, "duplicated training");
    for (j = 0; j < m; j++) worst = fmaxf(worst, fabsf(w1[j] - w2[j]));
    worst = fmaxf(worst, fabsf(b1 - b2));
    CHECK(worst < 1e-4f, "weights 2 vs duplicated rows: max |diff| %.2g", worst);
    CHECK(fabs(r1.loss - r2.loss) < 1e-6 * fabs(r2.loss), "J %.12g vs %.12g", r1.loss, r2.loss);
    free(mean), free(Z), free(Z2), free(y), free(sw);
}

/* One-vs-rest on a 3-class split of WDBC: malignant -> 2; benign with radius_mean (column 0)
   below the benign median -> 0, else 1. Each OvR model reaches the optimum of a binary model
   trained alone. */
static void test_ovr(const dataset *d) {
    size_t n = d->n, m = d->m, K = 3, i, c, nb = 0, correct = 0;
    float *mean = (float *)malloc(2 * m * sizeof(float)), *scale = mean + m;
    float *Z = standardized(d->X, n, m, mean, scale), *radius = (float *)malloc(n * sizeof(float));
    float W[3 * 64] = {0}, B[3] = {0}, w[64], b, *y = (float *)malloc(n * sizeof(float)), med = 0;
    int *cls = (int *)malloc(n * sizeof(int));
    size_t *pred = (size_t *)malloc(n * sizeof(size_t)), *pred2 = (size_t *)malloc(n * sizeof(size_t));
    double labels[3] = {0, 1, 2};
    logreg_options opt;
    logreg_report rep[3], r;
    logreg_model mo;
    logreg_status st;
    for (i = 0; i < n; i++)
        if (d->y[i] == 0) radius[nb++] = d->X[i * m];
    for (i = 0; i < nb; i++) { /* the median by counting: small n */
        size_t below = 0, k;
        for (k = 0; k < nb; k++) below += radius[k] < radius[i];
        if (below == nb / 2) med = radius[i];
    }
    for (i = 0; i < n; i++) cls[i] = d->y[i] == 1 ? 2 : d->X[i * m] < med ? 0 : 1;
    memset(&opt, 0, sizeof opt);
    opt.l2 = 1e-3f;
    st = logreg_train_ovr(Z, n, m, m, cls, K, &opt, W, B, rep);
    CHECK(st == LOGREG_OK, "train_ovr: %s", logreg_status_string(st));
    for (c = 0; c < K; c++) {
        memset(w, 0, sizeof w), b = 0;
        for (i = 0; i < n; i++) y[i] = (size_t)cls[i] == c ? 1.0f : 0.0f;
        st = logreg_train(Z, n, m, m, y, &opt, w, &b, &r);
        { /* trained together or alone, each model reaches the same optimum: both stop at
             |grad| <= 1e-6, which with l2 = 1e-3 puts w within 1e-3 of it */
            float dw = fabsf(b - B[c]);
            size_t j;
            for (j = 0; j < m; j++) dw = fmaxf(dw, fabsf(w[j] - W[c * m + j]));
            CHECK(st == LOGREG_OK && dw < 2e-3f && fabs(r.loss - rep[c].loss) <= 1e-7 * r.loss &&
                      rep[c].grad_norm <= 1e-6,
                  "class %zu: OvR model vs binary alone: |dw| %.3g, J %.12g vs %.12g, |g| %.3g", c, dw,
                  rep[c].loss, r.loss, rep[c].grad_norm);
        }
        CHECK(rep[c].stop == LOGREG_STOP_CONVERGED, "class %zu: %s", c, logreg_stop_string(rep[c].stop));
    }
    CHECK(logreg_predict_class(Z, n, m, m, W, B, K, pred) == LOGREG_OK, "predict_class");
    for (i = 0; i < n; i++) correct += pred[i] == (size_t)cls[i];
    CHECK(correct >= 0.9 * (double)n, "3-class WDBC training accuracy %zu/%zu", correct, n);
    /* the same through a model for raw features */
    for (c = 0; c < K; c++) logreg_fold_scaling(W + c * m, B + c, m, mean, scale);
    mo.m = m, mo.classes = K, mo.vectors = K, mo.labels = labels, mo.W = W, mo.B = B;
    {
        float *proba = (float *)malloc(n * K * sizeof(float));
        size_t same = 0;
        double worst = 0;
        CHECK(logreg_model_predict(&mo, d->X, n, m, pred2, proba) == LOGREG_OK, "model_predict");
        for (i = 0; i < n; i++) {
            double s = proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2];
            same += pred[i] == pred2[i];
            worst = fmax(worst, fabs(s - 1));
            CHECK(proba[3 * i + pred2[i]] >= proba[3 * i] && proba[3 * i + pred2[i]] >= proba[3 * i + 1] &&
                      proba[3 * i + pred2[i]] >= proba[3 * i + 2],
                  "row %zu: predicted class is not the most probable", i);
        }
        CHECK(same >= n - 1, "folded model agrees on %zu of %zu rows", same, n);
        CHECK(worst < 1e-5, "probabilities sum to 1 within %.2g", worst);
        free(proba);
    }
    cls[3] = 3;
    CHECK(logreg_train_ovr(Z, n, m, m, cls, K, &opt, W, B, NULL) == LOGREG_ERR_LABEL, "class 3 of 3 accepted");
    free(mean), free(Z), free(radius), free(y), free(cls), free(pred), free(pred2);
}

/* Binary model predictions: class 1 iff p >= 0.5, proba {1-p, p} = logreg_predict_proba. */
static void test_binary_predict(const dataset *d) {
    size_t n = d->n, m = d->m, i, bad = 0;
    float *mean = (float *)malloc(2 * m * sizeof(float)), *scale = mean + m;
    float *Z = standardized(d->X, n, m, mean, scale), *y = (float *)malloc(n * sizeof(float));
    float *p = (float *)malloc(n * sizeof(float)), *proba = (float *)malloc(2 * n * sizeof(float));
    float w[64] = {0}, b = 0;
    double labels[2] = {0, 1};
    size_t *pred = (size_t *)malloc(n * sizeof(size_t));
    logreg_model mo;
    for (i = 0; i < n; i++) y[i] = (float)d->y[i];
    CHECK(logreg_train(Z, n, m, m, y, NULL, w, &b, NULL) == LOGREG_OK, "binary training");
    mo.m = m, mo.classes = 2, mo.vectors = 1, mo.labels = labels, mo.W = w, mo.B = &b;
    CHECK(logreg_model_predict(&mo, Z, n, m, pred, proba) == LOGREG_OK, "binary model_predict");
    logreg_predict_proba(Z, n, m, m, w, b, p);
    for (i = 0; i < n; i++)
        bad += fabsf(proba[2 * i + 1] - p[i]) > 1e-6f || fabsf(proba[2 * i] + proba[2 * i + 1] - 1) > 1e-6f ||
               pred[i] != (p[i] >= 0.5f ? 1u : 0u);
    CHECK(bad <= 1, "binary predictions disagree with predict_proba on %zu rows", bad);
    Z[7] = NAN;
    CHECK(logreg_model_predict(&mo, Z, n, m, pred, NULL) == LOGREG_ERR_NONFINITE, "NaN row predicted");
    free(mean), free(Z), free(y), free(p), free(proba), free(pred);
}

/* Command line: ISA paths to run the training tests on (scalar, avx2, avx512, neon); none
   named = every available path. The readers and the model format do not depend on the path. */
int main(int argc, char **argv) {
    dataset d;
    const char *base = getenv("TMPDIR");
    int isa;
    snprintf(tmpdir, sizeof tmpdir, "%s/logreg-test-io-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL mkdtemp %s\n", tmpdir);
        return 1;
    }
    test_libsvm();
    test_csv();
    test_idx();
    test_model_files();
    test_classes();
    if (load_wdbc(&d)) {
        CHECK(d.n == 569 && d.m == 30, "WDBC is %zu x %zu", d.n, d.m);
        for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
            const char *name = logreg_isa_name((logreg_isa)isa);
            int before = test_failed;
            if (!logreg_isa_available((logreg_isa)isa) || !test_wants(argc, argv, name)) continue;
            CHECK(logreg_isa_select((logreg_isa)isa) == LOGREG_OK, "select %s", name);
            test_standardize(&d);
            test_sample_weights(&d);
            test_ovr(&d);
            test_binary_predict(&d);
            if (test_failed > before) printf("    (the failures above are on the %s path)\n", name);
        }
        data_free(&d);
    }
    { /* remove what the tests wrote */
        DIR *dir = opendir(tmpdir);
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL)
            if (e->d_name[0] != '.') remove(tmp_path(e->d_name));
        if (dir) closedir(dir);
        CHECK(rmdir(tmpdir) == 0, "cannot remove %s", tmpdir);
    }
    return test_finish();
}
