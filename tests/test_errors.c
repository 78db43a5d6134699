/* Bad input gets a status, never a crash or a silent wrong answer, and a rejected call leaves
   its outputs untouched. Also: allocation failure through an overridden LOGREG_MALLOC, the
   status and ISA names, logreg_isa_select's refusals. Every check runs on every path. */
#include <stdint.h>
#include <stdlib.h>
static int fail_alloc;
static void *test_malloc(size_t n) { return fail_alloc ? NULL : malloc(n); }
#define LOGREG_MALLOC(n) test_malloc(n)
#define LOGREG_FREE(p) free(p)
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "harness.h"

enum { N = 37, M = 19 };
static float X[N * M], y[N], sw[N], w[M], r[N], p[N];
static const char *pathname;

static void expect(logreg_status got, logreg_status want, const char *what) {
    CHECK(got == want, "%s: %s: got %s, want %s", pathname, what, logreg_status_string(got), logreg_status_string(want));
}

static void reset(void) {
    size_t i;
    for (i = 0; i < N * M; i++) X[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
    for (i = 0; i < N; i++) y[i] = (float)(i % 2), sw[i] = 1.0f + (float)(i % 3);
    for (i = 0; i < M; i++) w[i] = 0.1f * (float)(i % 5) - 0.2f;
}

/* loss_grad must leave grad_w, grad_b and loss as they were when it refuses. */
static void expect_loss_grad(const float *Xp, size_t n, size_t m, size_t ld, const float *yp, const float *swp,
                             const float *wp, float b, logreg_status want, const char *what) {
    float gw[M + 1], gb = 555.0f;
    double loss = 666.0;
    size_t j;
    int untouched = 1;
    for (j = 0; j <= M; j++) gw[j] = 777.0f;
    expect(logreg_loss_grad(Xp, n, m, ld, yp, swp, wp, b, &loss, gw, &gb), want, what);
    for (j = 0; j <= M; j++) untouched &= gw[j] == 777.0f;
    if (want != LOGREG_OK)
        CHECK(untouched && gb == 555.0f && loss == 666.0, "%s: %s: outputs changed by a refused call", pathname, what);
}

/* train must leave w and b as they were when it refuses. */
static void expect_train(const float *Xp, size_t n, const float *yp, const logreg_options *o, logreg_status want,
                         const char *what) {
    float w0[M], b = 0.25f;
    int untouched;
    memcpy(w0, w, sizeof w0);
    expect(logreg_train(Xp, n, M, M, yp, o, w0, &b, NULL), want, what);
    untouched = memcmp(w0, w, sizeof w0) == 0; /* bitwise: w may hold the NaN under test */
    if (want != LOGREG_OK) CHECK(untouched && b == 0.25f, "%s: %s: w or b changed by a refused call", pathname, what);
}

static void poke(float *where, float value, void (*test)(const char *), const char *what) {
    float old = *where;
    *where = value;
    test(what);
    *where = old;
}

/* Each of these is run with one value of X, y, sw, w poked to something bad. */
static logreg_status want_now;
static void run_all(const char *what) {
    logreg_options o;
    float g[M];
    memset(&o, 0, sizeof o);
    o.sample_weight = sw;
    o.max_iter = 3;
    expect_loss_grad(X, N, M, M, y, sw, w, 0.1f, want_now, what);
    expect_train(X, N, y, &o, want_now, what);
    memset(g, 0, sizeof g);
    if (want_now != LOGREG_ERR_LABEL) { /* these two do not read labels or weights */
        if (what[0] == 'X' || what[0] == 'w') {
            expect(logreg_predict_proba(X, N, M, M, w, 0.1f, p), want_now, what);
            expect(logreg_residual(X, N, M, M, w, 0.1f, y, r), want_now, what);
        }
    }
    if (what[0] == 'y') expect(logreg_residual(X, N, M, M, w, 0.1f, y, r), want_now, what);
}

static void test_values(void) {
    static const struct { char arr; size_t at; float v; logreg_status want; const char *what; } cases[] = {
        {'X', 0, NAN, LOGREG_ERR_NONFINITE, "X[0] = NaN"},
        {'X', N * M - 1, NAN, LOGREG_ERR_NONFINITE, "X[last] = NaN"},
        {'X', 5 * M + 3, INFINITY, LOGREG_ERR_NONFINITE, "X[5][3] = +Inf"},
        {'X', 17 * M + 18, -INFINITY, LOGREG_ERR_NONFINITE, "X[17][18] = -Inf"},
        {'y', 3, NAN, LOGREG_ERR_NONFINITE, "y[3] = NaN"},
        {'y', N - 1, INFINITY, LOGREG_ERR_NONFINITE, "y[last] = Inf"},
        {'y', 0, 1.5f, LOGREG_ERR_LABEL, "y[0] = 1.5"},
        {'y', 20, -0.25f, LOGREG_ERR_LABEL, "y[20] = -0.25"},
        {'y', 13, 2.0f, LOGREG_ERR_LABEL, "y[13] = 2"},
        {'s', 4, NAN, LOGREG_ERR_NONFINITE, "sw[4] = NaN"},
        {'s', 9, INFINITY, LOGREG_ERR_NONFINITE, "sw[9] = Inf"},
        {'s', 31, -1.0f, LOGREG_ERR_ARG, "sw[31] = -1"},
        /* by the bits: the SIMD kernels read denormals as zero, but -0 is zero */
        {'y', 7, -1e-40f, LOGREG_ERR_LABEL, "y[7] = -1e-40"},
        {'y', 2, -0.0f, LOGREG_OK, "y[2] = -0"},
        {'s', 12, -1e-40f, LOGREG_ERR_ARG, "sw[12] = -1e-40"},
        {'s', 5, -0.0f, LOGREG_OK, "sw[5] = -0"},
        {'w', 0, NAN, LOGREG_ERR_NONFINITE, "w[0] = NaN"},
        {'w', M - 1, -INFINITY, LOGREG_ERR_NONFINITE, "w[last] = -Inf"},
    };
    size_t k;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        float *arr = cases[k].arr == 'X' ? X : cases[k].arr == 'y' ? y : cases[k].arr == 's' ? sw : w;
        want_now = cases[k].want;
        poke(arr + cases[k].at, cases[k].v, run_all, cases[k].what);
    }
}

/* Bad values in rows of 2,048 floats: blocks of 4 rows and a last one of 1, at most one vector
   on every path, so the checks see partial vectors; with and without weights and the loss. */
enum { NW = 9, MW = 2048 };
static float XW[NW * MW], yw[NW], sww[NW], ww[MW];
static void test_wide_values(void) {
    static const struct { char arr; size_t at; float v; logreg_status want; const char *what; } cases[] = {
        {'X', 7 * MW + 100, INFINITY, LOGREG_ERR_NONFINITE, "wide X[7][100] = Inf"},
        {'y', 0, 1.5f, LOGREG_ERR_LABEL, "wide y[0] = 1.5"},
        {'y', 5, -0.25f, LOGREG_ERR_LABEL, "wide y[5] = -0.25"},
        {'y', 8, NAN, LOGREG_ERR_NONFINITE, "wide y[8] = NaN"},
        {'s', 2, NAN, LOGREG_ERR_NONFINITE, "wide sw[2] = NaN"},
        {'s', 6, -1.0f, LOGREG_ERR_ARG, "wide sw[6] = -1"},
        {'y', 3, -1e-40f, LOGREG_ERR_LABEL, "wide y[3] = -1e-40"},
        {'s', 7, -1e-40f, LOGREG_ERR_ARG, "wide sw[7] = -1e-40"},
    };
    size_t i, k;
    int weighted, with_loss;
    for (i = 0; i < NW * MW; i++) XW[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
    for (i = 0; i < NW; i++) yw[i] = (float)(i % 2), sww[i] = 1.0f + (float)(i % 3);
    for (i = 0; i < MW; i++) ww[i] = 0.01f * (float)(i % 5) - 0.02f;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        float *arr = cases[k].arr == 'X' ? XW : cases[k].arr == 'y' ? yw : sww, old = arr[cases[k].at];
        arr[cases[k].at] = cases[k].v;
        for (weighted = 0; weighted < 2; weighted++)
            for (with_loss = 0; with_loss < 2; with_loss++) {
                static float gw[MW];
                float gb;
                double loss;
                logreg_status want = cases[k].arr == 's' && !weighted ? LOGREG_OK : cases[k].want;
                logreg_status got = logreg_loss_grad(XW, NW, MW, MW, yw, weighted ? sww : NULL, ww, 0.1f,
                                                     with_loss ? &loss : NULL, gw, &gb);
                CHECK(got == want, "%s: %s (weights %d, loss %d): got %s, want %s", pathname, cases[k].what, weighted,
                      with_loss, logreg_status_string(got), logreg_status_string(want));
            }
        arr[cases[k].at] = old;
    }
}

static void test_arguments(void) {
    logreg_options o;
    float g[M], zero_w[N];
    size_t huge = SIZE_MAX / 8, i;
    memset(&o, 0, sizeof o);
    for (i = 0; i < N; i++) zero_w[i] = 0.0f;
    /* shapes and NULLs */
    expect_loss_grad(NULL, N, M, M, y, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad X = NULL");
    expect_loss_grad(X, N, M, M, NULL, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad y = NULL");
    expect_loss_grad(X, N, M, M, y, NULL, NULL, 0, LOGREG_ERR_ARG, "loss_grad w = NULL");
    expect_loss_grad(X, N, 0, M, y, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad m = 0");
    expect_loss_grad(X, N, M, M - 1, y, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad ld < m");
    expect_loss_grad(X, 0, M, M, y, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad n = 0");
    expect_loss_grad(X, huge, 4, 4, y, NULL, w, 0, LOGREG_ERR_ARG, "loss_grad n*ld*4 overflows");
    expect_loss_grad(X, N, M, M, y, zero_w, w, 0, LOGREG_ERR_ARG, "loss_grad all weights 0");
    expect_loss_grad(X, N, M, M, y, NULL, w, INFINITY, LOGREG_ERR_NONFINITE, "loss_grad b = Inf");
    expect_loss_grad(X, N, M, M, y, NULL, w, NAN, LOGREG_ERR_NONFINITE, "loss_grad b = NaN");
    expect_loss_grad(X, N, M, M, y, sw, w, 0, LOGREG_OK, "loss_grad valid");
    {
        float gw[M], gb;
        expect(logreg_loss_grad(X, N, M, M, y, NULL, w, 0, NULL, gw, &gb), LOGREG_OK, "loss_grad loss = NULL");
        expect(logreg_loss_grad(X, N, M, M, y, NULL, w, 0, NULL, NULL, &gb), LOGREG_ERR_ARG, "loss_grad grad_w = NULL");
        expect(logreg_loss_grad(X, N, M, M, y, NULL, w, 0, NULL, gw, NULL), LOGREG_ERR_ARG, "loss_grad grad_b = NULL");
    }
    expect(logreg_residual(NULL, N, M, M, w, 0, y, r), LOGREG_ERR_ARG, "residual X = NULL");
    expect(logreg_residual(X, N, M, M, w, 0, NULL, r), LOGREG_ERR_ARG, "residual y = NULL");
    expect(logreg_residual(X, N, M, M, w, 0, y, NULL), LOGREG_ERR_ARG, "residual r = NULL");
    expect(logreg_residual(X, N, M, M, NULL, 0, y, r), LOGREG_ERR_ARG, "residual w = NULL");
    expect(logreg_residual(X, N, 0, M, w, 0, y, r), LOGREG_ERR_ARG, "residual m = 0");
    expect(logreg_residual(X, N, M, 3, w, 0, y, r), LOGREG_ERR_ARG, "residual ld < m");
    expect(logreg_residual(X, huge, 4, 4, w, 0, y, r), LOGREG_ERR_ARG, "residual n*ld*4 overflows");
    expect(logreg_residual(X, N, M, M, w, NAN, y, r), LOGREG_ERR_NONFINITE, "residual b = NaN");
    expect(logreg_residual(NULL, 0, M, M, w, 0, NULL, NULL), LOGREG_OK, "residual n = 0");
    expect(logreg_predict_proba(NULL, N, M, M, w, 0, p), LOGREG_ERR_ARG, "predict X = NULL");
    expect(logreg_predict_proba(X, N, M, M, w, 0, NULL), LOGREG_ERR_ARG, "predict p = NULL");
    expect(logreg_predict_proba(X, N, M, M, NULL, 0, p), LOGREG_ERR_ARG, "predict w = NULL");
    expect(logreg_predict_proba(X, N, 0, 0, w, 0, p), LOGREG_ERR_ARG, "predict m = 0");
    expect(logreg_predict_proba(X, huge, 4, 4, w, 0, p), LOGREG_ERR_ARG, "predict n*ld*4 overflows");
    expect(logreg_predict_proba(X, N, M, M, w, -INFINITY, p), LOGREG_ERR_NONFINITE, "predict b = -Inf");
    expect(logreg_predict_proba(NULL, 0, M, M, w, 0, NULL), LOGREG_OK, "predict n = 0");
    for (i = 0; i < M; i++) g[i] = 3.0f;
    expect(logreg_grad_accumulate(NULL, N, M, M, r, g), LOGREG_ERR_ARG, "grad_accumulate X = NULL");
    expect(logreg_grad_accumulate(X, N, M, M, NULL, g), LOGREG_ERR_ARG, "grad_accumulate r = NULL");
    expect(logreg_grad_accumulate(X, N, M, M, r, NULL), LOGREG_ERR_ARG, "grad_accumulate g = NULL");
    expect(logreg_grad_accumulate(X, N, 0, M, r, g), LOGREG_ERR_ARG, "grad_accumulate m = 0");
    expect(logreg_grad_accumulate(X, huge, 4, 4, r, g), LOGREG_ERR_ARG, "grad_accumulate n*ld*4 overflows");
    expect(logreg_grad_accumulate(X, 0, M, M, r, g), LOGREG_OK, "grad_accumulate n = 0");
    { /* non-finite X or r: refused, g untouched */
        int same = 1;
        for (i = 0; i < N; i++) r[i] = 0.5f;
        X[3 * M + 4] = NAN;
        expect(logreg_grad_accumulate(X, N, M, M, r, g), LOGREG_ERR_NONFINITE, "grad_accumulate X NaN");
        X[3 * M + 4] = 0.0f;
        r[7] = INFINITY;
        expect(logreg_grad_accumulate(X, N, M, M, r, g), LOGREG_ERR_NONFINITE, "grad_accumulate r Inf");
        r[7] = 0.5f;
        for (i = 0; i < M; i++) same &= g[i] == 3.0f;
        CHECK(same, "%s: grad_accumulate changed g when it refused", pathname);
    }
    /* train: arguments and options */
    expect_train(NULL, N, y, NULL, LOGREG_ERR_ARG, "train X = NULL");
    expect_train(X, N, NULL, NULL, LOGREG_ERR_ARG, "train y = NULL");
    expect_train(X, 0, y, NULL, LOGREG_ERR_ARG, "train n = 0");
    expect_train(X, huge, y, NULL, LOGREG_ERR_ARG, "train n*ld*4 overflows");
    {
        float b = 0;
        expect(logreg_train(X, N, M, M, y, NULL, NULL, &b, NULL), LOGREG_ERR_ARG, "train w = NULL");
        expect(logreg_train(X, N, M, M, y, NULL, w, NULL, NULL), LOGREG_ERR_ARG, "train b = NULL");
        b = NAN;
        expect(logreg_train(X, N, M, M, y, NULL, w, &b, NULL), LOGREG_ERR_NONFINITE, "train b = NaN");
        CHECK(b != b, "%s: train changed a rejected b", pathname);
    }
#define OPTION(field, value, want)                                  \
    do {                                                            \
        memset(&o, 0, sizeof o);                                    \
        o.field = value;                                            \
        expect_train(X, N, y, &o, want, "train " #field " = " #value); \
    } while (0)
    OPTION(learning_rate, NAN, LOGREG_ERR_NONFINITE);
    OPTION(learning_rate, INFINITY, LOGREG_ERR_NONFINITE);
    OPTION(learning_rate, -0.1f, LOGREG_ERR_ARG);
    OPTION(l2, NAN, LOGREG_ERR_NONFINITE);
    OPTION(l2, -1.0f, LOGREG_ERR_ARG);
    OPTION(tol, NAN, LOGREG_ERR_NONFINITE);
    OPTION(tol, -1e-6, LOGREG_ERR_ARG);
    OPTION(tol, INFINITY, LOGREG_ERR_NONFINITE);
    OPTION(solver, (logreg_solver)42, LOGREG_ERR_ARG);
    OPTION(sample_weight, zero_w, LOGREG_ERR_ARG);
#undef OPTION
}

static void test_nomem(void) {
    float gw[M], gb = 1.0f, g[M];
    size_t i;
    int same = 1;
    logreg_options o;
    memset(&o, 0, sizeof o);
    for (i = 0; i < M; i++) gw[i] = g[i] = 9.0f;
    fail_alloc = 1;
    expect(logreg_loss_grad(X, N, M, M, y, NULL, w, 0, NULL, gw, &gb), LOGREG_ERR_NOMEM, "loss_grad, no memory");
    expect(logreg_grad_accumulate(X, N, M, M, r, g), LOGREG_ERR_NOMEM, "grad_accumulate, no memory");
    expect_train(X, N, y, &o, LOGREG_ERR_NOMEM, "train, no memory");
    fail_alloc = 0;
    for (i = 0; i < M; i++) same &= gw[i] == 9.0f && g[i] == 9.0f;
    CHECK(same && gb == 1.0f, "%s: outputs changed by calls that ran out of memory", pathname);
}

static void test_names(void) {
    int s;
    const logreg_isa active = logreg_isa_active();
    for (s = -1; s <= 9; s++) CHECK(logreg_status_string((logreg_status)s) != NULL, "status_string(%d) is NULL", s);
    for (s = -1; s <= 5; s++) CHECK(logreg_stop_string((logreg_stop)s) != NULL, "stop_string(%d) is NULL", s);
    CHECK(strcmp(logreg_isa_name(LOGREG_ISA_AVX512), "avx512") == 0 && strcmp(logreg_isa_name(LOGREG_ISA_AUTO), "auto") == 0 &&
              strcmp(logreg_isa_name((logreg_isa)17), "unknown") == 0,
          "isa names");
    expect(logreg_isa_select((logreg_isa)17), LOGREG_ERR_ARG, "isa_select(17)");
    CHECK(logreg_isa_active() == active, "a refused isa_select changed the path");
    for (s = LOGREG_ISA_SCALAR; s <= LOGREG_ISA_NEON; s++)
        if (!logreg_isa_available((logreg_isa)s)) {
            expect(logreg_isa_select((logreg_isa)s), LOGREG_ERR_UNSUPPORTED, logreg_isa_name((logreg_isa)s));
            CHECK(logreg_isa_active() == active, "a refused isa_select changed the path");
        }
    CHECK(logreg_isa_available(LOGREG_ISA_AUTO) && logreg_isa_available(LOGREG_ISA_SCALAR), "auto/scalar unavailable");
    logreg_sigmoid(NULL, p, 5); /* must not crash */
    logreg_sigmoid(y, NULL, 5);
    logreg_isa_select(active);
}

int main(int argc, char **argv) {
    int isa;
    for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
        if (!test_wants(argc, argv, logreg_isa_name((logreg_isa)isa))) continue;
        if (logreg_isa_select((logreg_isa)isa) != LOGREG_OK) continue;
        pathname = logreg_isa_name((logreg_isa)isa);
        reset();
        test_values();
        test_wide_values();
        test_arguments();
        test_nomem();
        test_names();
    }
    expect(logreg_isa_select(LOGREG_ISA_AUTO), LOGREG_OK, "isa_select(auto)");
    CHECK(logreg_isa_active() != LOGREG_ISA_AUTO, "the active path is never auto");
    return test_finish();
}
