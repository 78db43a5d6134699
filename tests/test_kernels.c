/* Every kernel on every available path against independent double-precision references,
   against the scalar path (random shapes, every vector remainder, ld > m, shifted pointers,
   z from -200 to 200 and special values), alignment independence, the 10^7-row accuracy
   promise, the gradient at an optimum, a finite-difference check of the gradient, and reads
   that stay within the caller's arrays (guard pages, on POSIX systems). */
#if defined(__unix__) || defined(__APPLE__)
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS, sigsetjmp under -std=c99 */
#define TEST_FENCES 1
#endif
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "harness.h"
#include "ref.h"
#include "synth.h"

#define EPS 5.9604645e-08 /* 2^-24 */

static synth_rng rng = {12345};
static float uni(float lo, float hi) { return lo + (hi - lo) * (float)synth_uniform(&rng); }

/* Storage for n floats starting `shift` floats past a 64-byte boundary. */
typedef struct buf { void *mem; float *p; } buf;
static buf buf_new(size_t n, size_t shift) {
    buf b;
    b.mem = malloc((n + shift) * sizeof(float) + 64);
    b.p = (float *)(((uintptr_t)b.mem + 63) & ~(uintptr_t)63) + shift;
    return b;
}

static const char *path_name(void) { return logreg_isa_name(logreg_isa_active()); }

static int check_ok_impl(logreg_status s, const char *what) {
    if (s == LOGREG_OK) return 1;
    printf("FAIL: %s: %s returned %s\n", path_name(), what, logreg_status_string(s));
    test_failed++;
    return 0;
}
#define CHECK_OK(call) check_ok_impl((call), #call)

static void test_sigmoid(void) {
    static const float special[] = {0.0f, -0.0f, 1e-45f, -1e-45f, 1e-38f, -1e-38f, 1e-8f, -1e-8f,
                                    0.5f, -0.5f, 16.6f, 17.0f, -87.3365f, -87.34f, -88.0f, -103.0f,
                                    -104.0f, 88.7f, 89.0f, 200.0f, -200.0f, 1e30f, -1e30f, FLT_MAX, -FLT_MAX};
    enum { N = 4099 };
    float z[N], a[N];
    size_t i, nspec = sizeof special / sizeof special[0];
    double worst = 0;
    int bad = 0;
    for (i = 0; i < N; i++) {
        if (i < nspec) z[i] = special[i];
        else if (i % 3 == 0) z[i] = uni(-200, 200);
        else if (i % 3 == 1) z[i] = uni(-20, 20);
        else {
            uint32_t u = (uint32_t)synth_next(&rng);
            memcpy(&z[i], &u, 4);
            if (z[i] != z[i]) z[i] = 1.0f;
        }
    }
    logreg_sigmoid(z, a, N);
    for (i = 0; i < N; i++) {
        double r = ref_sigmoid(z[i]);
        if (!(a[i] >= 0.0f && a[i] <= 1.0f)) bad++;
        else if (r >= FLT_MIN) {
            double u = ref_ulp_error(a[i], r);
            if (u > worst) worst = u;
        } else if (fabs(a[i] - r) > FLT_MIN) bad++;
    }
    CHECK(bad == 0 && worst <= 4.0, "%s: sigmoid vs double: %d bad, max %.2f ULP", path_name(), bad, worst);
    {
        float s[4] = {NAN, -INFINITY, INFINITY, -NAN}, o[4];
        logreg_sigmoid(s, o, 4);
        CHECK(o[0] != o[0] && o[1] == 0.0f && o[2] == 1.0f && o[3] != o[3],
              "%s: sigmoid(nan, -inf, inf, -nan) = %g %g %g %g", path_name(), o[0], o[1], o[2], o[3]);
    }
    { /* in place, every length up to 40 (every tail of every vector width) */
        float b[40], c[40];
        size_t n;
        int same = 1;
        for (n = 1; n <= 40; n++) {
            for (i = 0; i < n; i++) b[i] = c[i] = uni(-30, 30);
            logreg_sigmoid(b, b, n);
            logreg_sigmoid(c, a, n);
            same &= memcmp(a, b, n * sizeof(float)) == 0;
        }
        CHECK(same, "%s: sigmoid in place differs from out of place", path_name());
    }
}

/* Random problem: X with values spread so z covers about [-zmax, zmax]. */
typedef struct problem {
    size_t n, m, ld;
    buf X, y, sw, w;
    float *wt; /* the sample weights the calls get: sw, or NULL (all ones) when unweighted */
    float b;
} problem;

static problem make(size_t n, size_t m, size_t ld, size_t shift, float zmax, int weights) {
    problem P;
    size_t i, j;
    float scale = zmax / (float)sqrt((double)m + 1.0);
    P.n = n, P.m = m, P.ld = ld;
    P.X = buf_new(n * ld, shift);
    P.y = buf_new(n, shift);
    P.sw = buf_new(n, shift);
    P.w = buf_new(m, shift);
    for (i = 0; i < n * ld; i++) P.X.p[i] = (i % ld) < m ? uni(-1.7f, 1.7f) : NAN; /* padding is never read */
    for (j = 0; j < m; j++) P.w.p[j] = uni(-scale, scale);
    for (i = 0; i < n; i++) {
        P.y.p[i] = i % 7 == 3 ? uni(0, 1) : (float)(synth_next(&rng) & 1);
        P.sw.p[i] = weights ? uni(0, 3) : 1.0f;
    }
    P.wt = weights ? P.sw.p : NULL;
    P.b = uni(-1, 1);
    return P;
}
static void drop(problem *P) { free(P->X.mem), free(P->y.mem), free(P->sw.mem), free(P->w.mem); }

/* One problem through all five kernels, checked against double precision. Returns 0 on a
   failure (already reported). out[] gets the loss_grad results for the differential test, and
   out_zt (m + 2 values: gradient, bias, loss) what the float rounding of z may cost each. */
static int check_problem(problem *P, float *out_grad, double *out_loss, double *out_zt) {
    size_t n = P->n, m = P->m, ld = P->ld, i, j;
    float *X = P->X.p, *y = P->y.p, *w = P->w.p, *sw = P->wt;
    double *wd = (double *)malloc(m * sizeof(double)), *g = (double *)malloc((m + 1) * sizeof(double));
    float *r = (float *)malloc(n * sizeof(float)), *p = (float *)malloc(n * sizeof(float));
    float *gw = (float *)malloc((m + 1) * sizeof(float)), *ga = (float *)malloc(m * sizeof(float));
    double J, loss, gmax = 0, worst_r = 0, worst_g = 0, worst_a = 0;
    int ok = 1;
    for (j = 0; j < m; j++) wd[j] = w[j];
    ok &= CHECK_OK(logreg_residual(X, n, m, ld, w, P->b, y, r));
    ok &= CHECK_OK(logreg_predict_proba(X, n, m, ld, w, P->b, p));
    for (i = 0; i < n; i++) {
        double s = fabs(P->b), z = ref_dot(X + i * ld, w, m, P->b), sig = ref_sigmoid(z);
        double tol;
        for (j = 0; j < m; j++) s += fabs((double)X[i * ld + j] * w[j]);
        tol = 0.25 * (m + 4) * EPS * s + 4 * EPS;
        if (fabs(r[i] - ref_residual(z, y[i])) > tol) worst_r = fabs(r[i] - ref_residual(z, y[i])) / tol;
        if (fabs(p[i] - sig) > tol) worst_r = fabs(p[i] - sig) / tol;
    }
    CHECK(worst_r == 0, "%s: residual/predict_proba off by %.2f x tolerance (n=%zu m=%zu)", path_name(), worst_r, n, m);
    /* grad_accumulate onto a nonzero start, with r from the double reference */
    for (i = 0; i < n; i++) r[i] = (float)ref_residual(ref_dot(X + i * ld, w, m, P->b), y[i]);
    for (j = 0; j < m; j++) ga[j] = (float)j;
    ok &= CHECK_OK(logreg_grad_accumulate(X, n, m, ld, r, ga));
    for (j = 0; j < m; j++) {
        double s = 0, a = 0;
        for (i = 0; i < n; i++) s += (double)r[i] * X[i * ld + j], a += fabs((double)r[i] * X[i * ld + j]);
        s += (double)j;
        if (fabs(ga[j] - s) > 300 * EPS * a + EPS * fabs(s) + 2.0 * n * FLT_MIN) worst_a = fabs(ga[j] - s);
    }
    CHECK(worst_a == 0, "%s: grad_accumulate off by %g (n=%zu m=%zu)", path_name(), worst_a, n, m);
    /* loss_grad: the promise, 1e-5 relative (of max|grad| for the gradient), plus what float
       rounding of z itself can cost, to first order: |dr_i| <= σ'(z_i) m eps Σ_j |w_j x_ij|
       (the same for the loss, with |r_i|). On well-conditioned rows that term is far below
       the promise; it matters only where large |z| comes from cancelling terms. */
    J = ref_loss_grad(X, n, m, ld, y, sw, wd, P->b, 0.0, g);
    ok &= CHECK_OK(logreg_loss_grad(X, n, m, ld, y, sw, w, P->b, &loss, gw, gw + m));
    {
        double *zt = (double *)calloc(m + 2, sizeof(double)), W = 0;
        for (i = 0; i < n; i++) {
            double z = ref_dot(X + i * ld, w, m, P->b), s = fabs(P->b), dz, wi = sw ? sw[i] : 1;
            double ds = ref_sigmoid(z) * ref_sigmoid(-z); /* σ'(z), not σ(1-σ): 1-σ is 0 in double for z > 37 */
            for (j = 0; j < m; j++) s += fabs((double)X[i * ld + j] * w[j]);
            dz = (m + 2) * EPS * s;
            for (j = 0; j < m; j++) zt[j] += wi * ds * dz * fabs(X[i * ld + j]);
            zt[m] += wi * ds * dz;
            zt[m + 1] += wi * fabs(ref_residual(z, y[i])) * dz;
            W += wi;
        }
        for (j = 0; j <= m; j++) gmax = fabs(g[j]) > gmax ? fabs(g[j]) : gmax;
        for (j = 0; j <= m; j++) /* plus what flushing values below FLT_MIN may cost */
            if (fabs(gw[j] - g[j]) > 1e-5 * gmax + zt[j] / W + 4 * FLT_MIN) worst_g = fabs(gw[j] - g[j]) / gmax;
        CHECK(worst_g == 0 && fabs(loss - J) <= 1e-5 * fabs(J) + zt[m + 1] / W + 2 * FLT_MIN,
              "%s: loss_grad: grad rel err %.3g, loss %.9g vs %.9g (n=%zu m=%zu)", path_name(), worst_g, loss, J, n, m);
        for (j = 0; out_zt && j < m + 2; j++) out_zt[j] = zt[j] / W;
        free(zt);
    }
    if (out_grad) memcpy(out_grad, gw, (m + 1) * sizeof(float));
    if (out_loss) *out_loss = loss;
    free(wd), free(g), free(r), free(p), free(gw), free(ga);
    return ok && worst_r == 0 && worst_a == 0 && worst_g == 0;
}

/* Shapes: every remainder of 4, 8 and 16 in m, rows wide enough for AVX-512's wide-row loop and for
   the gradient's chunks taken from the end (LOGREG__BACKWARD_M), ld > m, n across block and flush
   boundaries, pointers shifted off alignment. Each path against the references, and against the
   scalar path within twice what each may be off by (the promise plus what the float rounding of
   z may cost: on wide rows with large |z| two paths' sums of w·x round differently, NEON's and
   scalar's by 4e-5 of max|g| at m = 1031). */
static void test_shapes(logreg_isa isa) {
    static const size_t ms[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 47, 63, 64, 65, 100, 127,
                                128, 129, 255, 256, 257, 511, 777, 1000, 1024, 1031, 2047, 2048, 2100, 4099};
    static const size_t ns[] = {1, 2, 3, 5, 17, 100, 255, 257, 600};
    size_t a, c, fails = 0, diffs = 0, runs = 0;
    for (a = 0; a < sizeof ms / sizeof ms[0]; a++)
        for (c = 0; c < sizeof ns / sizeof ns[0]; c++) {
            size_t m = ms[a], n = ns[c], ld = m + (a + c) % 4, shift = (a * 3 + c) % 16;
            float zmax = (a + c) % 3 == 0 ? 200.0f : (a + c) % 3 == 1 ? 20.0f : 3.0f;
            problem P;
            float *g1 = (float *)malloc((m + 1) * sizeof(float)), *g0 = (float *)malloc((m + 1) * sizeof(float));
            double *zt = (double *)malloc((m + 2) * sizeof(double)), l1, l0, gmax = 0;
            size_t j;
            if (n * m > 200000) n = 200000 / m + 1;
            P = make(n, m, ld, shift, zmax, (a + c) % 2);
            logreg_isa_select(isa);
            fails += !check_problem(&P, g1, &l1, zt);
            logreg_isa_select(LOGREG_ISA_SCALAR);
            logreg_loss_grad(P.X.p, n, m, ld, P.y.p, P.wt, P.w.p, P.b, &l0, g0, g0 + m);
            for (j = 0; j <= m; j++) gmax = fabs(g0[j]) > gmax ? fabs(g0[j]) : gmax;
            for (j = 0; j <= m; j++) diffs += fabs(g1[j] - g0[j]) > 2e-5 * gmax + 2 * zt[j] + 8 * FLT_MIN;
            diffs += fabs(l1 - l0) > 2e-5 * fabs(l0) + 2 * zt[m + 1] + 4 * FLT_MIN;
            runs++;
            drop(&P), free(g1), free(g0), free(zt);
        }
    logreg_isa_select(isa);
    CHECK(fails == 0, "%s: %zu of %zu shapes failed against double precision", path_name(), fails, runs);
    CHECK(diffs == 0, "%s: %zu values differ from the scalar path by more than 2e-5 (relative)", path_name(), diffs);
}

/* The same data at 16 different alignments must give bit-identical results. */
static void test_alignment(void) {
    size_t n = 333, m = 37, ld = 41, shift, i;
    problem P = make(n, m, ld, 0, 20, 1);
    float ref_g[38], ref_p[333], g[38], p[333];
    double ref_l, l;
    int same = 1;
    logreg_loss_grad(P.X.p, n, m, ld, P.y.p, P.sw.p, P.w.p, P.b, &ref_l, ref_g, ref_g + m);
    logreg_predict_proba(P.X.p, n, m, ld, P.w.p, P.b, ref_p);
    for (shift = 1; shift < 16; shift++) {
        buf X = buf_new(n * ld, shift), y = buf_new(n, 15 - shift), sw = buf_new(n, shift), w = buf_new(m, (shift * 7) % 16);
        memcpy(X.p, P.X.p, n * ld * sizeof(float));
        memcpy(y.p, P.y.p, n * sizeof(float));
        memcpy(sw.p, P.sw.p, n * sizeof(float));
        memcpy(w.p, P.w.p, m * sizeof(float));
        logreg_loss_grad(X.p, n, m, ld, y.p, sw.p, w.p, P.b, &l, g, g + m);
        logreg_predict_proba(X.p, n, m, ld, w.p, P.b, p);
        same &= l == ref_l && memcmp(g, ref_g, sizeof g) == 0 && memcmp(p, ref_p, sizeof p) == 0;
        for (i = 0; i < 4; i++) free(i == 0 ? X.mem : i == 1 ? y.mem : i == 2 ? sw.mem : w.mem);
    }
    CHECK(same, "%s: results depend on pointer alignment", path_name());
    drop(&P);
}

/* Weighted means do not change when every weight is multiplied by the same power of two, and
   no rounding does either: weights 1, 2, 3 times 2^-20, times 2^125 (whose block sums pass
   FLT_MAX) and times 2^-140 (all denormal, which the SIMD kernels read as zero) must give the
   results of 1, 2, 3 bit for bit; also with one weight 2^-149, the smallest denormal, against
   2^-149 divided by the factor in the unscaled call, and one -0 in both. */
static void test_weight_scale(void) {
    static const float scales[] = {0x1p-20f, 0x1p125f, 0x1p-140f};
    size_t n = 1000, m = 19, i, k;
    problem P = make(n, m, m, 0, 4, 1);
    buf sw = buf_new(n, 0);
    float ref_g[20], g[20];
    double ref_l, l;
    for (k = 0; k < 2 * sizeof scales / sizeof scales[0]; k++) {
        float f = scales[k / 2];
        for (i = 0; i < n; i++) P.sw.p[i] = (float)(1 + i % 3), sw.p[i] = P.sw.p[i] * f;
        if (k % 2) P.sw.p[n / 2] = 0x1p-149f / f, sw.p[n / 2] = 0x1p-149f, P.sw.p[7] = sw.p[7] = -0.0f;
        CHECK_OK(logreg_loss_grad(P.X.p, n, m, m, P.y.p, P.sw.p, P.w.p, P.b, &ref_l, ref_g, ref_g + m));
        CHECK_OK(logreg_loss_grad(P.X.p, n, m, m, P.y.p, sw.p, P.w.p, P.b, &l, g, g + m));
        CHECK(l == ref_l && memcmp(g, ref_g, sizeof g) == 0, "%s: weights times %g%s: loss %.9g vs %.9g, gradient %s",
              path_name(), (double)f, k % 2 ? " (one 2^-149, one -0)" : "", l, ref_l, memcmp(g, ref_g, sizeof g) ? "differs" : "same");
    }
    free(sw.mem);
    drop(&P);
}

/* At an optimum, where the gradient is small, what is left is the error of the float z and r:
   200,000 rows x 8 features uniform in [-1, 1], labels from a known model, the optimum by
   Newton in double, rounded to float (|grad|inf there 3e-9). The SIMD paths that added b to each
   finished dot product, so that z rounded the same way row after row (see common.h, "b in lane
   0"), were off by 0.49-0.61 of |grad|inf there; rounding errors that do not line up leave
   0.02-0.06, as on the scalar path. */
typedef struct optimum { size_t n, m; float *X, *y, w[8], b; double g[9], gmax; } optimum;
static optimum optimum_make(void) {
    optimum o;
    double theta[9] = {0};
    size_t i, j;
    synth_rng r = {2024};
    o.n = 200000, o.m = 8;
    o.X = (float *)malloc(o.n * o.m * sizeof(float)), o.y = (float *)malloc(o.n * sizeof(float));
    for (i = 0; i < o.n; i++) {
        double z = 0.3;
        for (j = 0; j < o.m; j++) o.X[i * o.m + j] = (float)(2 * synth_uniform(&r) - 1), z += o.X[i * o.m + j] * (j + 1) * 0.5;
        o.y[i] = synth_uniform(&r) < ref_sigmoid(z) ? 1.0f : 0.0f;
    }
    ref_newton(o.X, o.n, o.m, o.m, o.y, NULL, 0.0, theta);
    for (j = 0; j < o.m; j++) o.w[j] = (float)theta[j], theta[j] = o.w[j];
    o.b = (float)theta[o.m];
    ref_loss_grad(o.X, o.n, o.m, o.m, o.y, NULL, theta, o.b, 0.0, o.g);
    for (o.gmax = 0, j = 0; j <= o.m; j++) o.gmax = fabs(o.g[j]) > o.gmax ? fabs(o.g[j]) : o.gmax;
    return o;
}
static void test_optimum(const optimum *o) {
    float g[9];
    double loss, err = 0;
    size_t j;
    CHECK_OK(logreg_loss_grad(o->X, o->n, o->m, o->m, o->y, NULL, o->w, o->b, &loss, g, g + o->m));
    for (j = 0; j <= o->m; j++) err = fabs(g[j] - o->g[j]) > err ? fabs(g[j] - o->g[j]) : err;
    CHECK(err <= 0.15 * o->gmax, "%s: at an optimum (|grad|inf %.3g) the gradient is off by %.3g of it (limit 0.15)",
          path_name(), o->gmax, err / o->gmax);
    printf("  at an optimum: |grad|inf %.3g, error %.3g of it\n", o->gmax, err / o->gmax);
}

/* The promise for long sums: 10^7 rows within 1e-5 of double precision. */
static void test_long_sum(const float *X, const float *y, size_t n, size_t m) {
    float w[4] = {0.3f, -0.2f, 0.1f, 0.05f}, gw[5];
    double wd[4] = {0.3f, -0.2f, 0.1f, 0.05f}, g[5], loss, J, gmax = 0, err = 0;
    size_t j;
    J = ref_loss_grad(X, n, m, m, y, NULL, wd, 0.1f, 0.0, g);
    CHECK_OK(logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, gw, gw + m));
    for (j = 0; j <= m; j++) gmax = fabs(g[j]) > gmax ? fabs(g[j]) : gmax;
    for (j = 0; j <= m; j++) err = fabs(gw[j] - g[j]) > err ? fabs(gw[j] - g[j]) : err;
    CHECK(err <= 1e-5 * gmax && fabs(loss - J) <= 1e-5 * J,
          "%s: 10^7 rows: gradient error %.3g of max|g| (limit 1e-5), loss %.10g vs %.10g", path_name(),
          err / gmax, loss, J);
}

/* The gradient is the derivative of the loss: central differences of the double reference
   loss at the same point, against the library's gradient. */
static void test_finite_differences(void) {
    size_t n = 400, m = 12, j;
    problem P = make(n, m, m, 0, 4, 1);
    double wd[12], gref[13], gmax = 0, worst = 0, h = 1e-4;
    float gw[13];
    double loss;
    for (j = 0; j < m; j++) wd[j] = P.w.p[j];
    CHECK_OK(logreg_loss_grad(P.X.p, n, m, m, P.y.p, P.sw.p, P.w.p, P.b, &loss, gw, gw + m));
    ref_loss_grad(P.X.p, n, m, m, P.y.p, P.sw.p, wd, P.b, 0.0, gref);
    for (j = 0; j <= m; j++) gmax = fabs(gref[j]) > gmax ? fabs(gref[j]) : gmax;
    for (j = 0; j <= m; j++) {
        double up, dn, fd, b = P.b;
        if (j < m) wd[j] += h; else b += h;
        up = ref_loss_grad(P.X.p, n, m, m, P.y.p, P.sw.p, wd, b, 0.0, NULL);
        if (j < m) wd[j] -= 2 * h; else b -= 2 * h;
        dn = ref_loss_grad(P.X.p, n, m, m, P.y.p, P.sw.p, wd, b, 0.0, NULL);
        if (j < m) wd[j] += h;
        fd = (up - dn) / (2 * h);
        worst = fabs(gw[j] - fd) > worst ? fabs(gw[j] - fd) : worst;
    }
    CHECK(worst <= 1e-5 * gmax + 1e-8, "%s: gradient vs central differences: %.3g of max|g|", path_name(), worst / gmax);
    drop(&P);
}

#if defined(LOGREG__NEON32)
/* 32-bit ARM has no vector division: neon.h's stand-in, a/b for b in [1, 4], rounds correctly
   where its correction term a - b q stays above FLT_MIN, and keeps within 3 ULP below (results
   below FLT_MIN are flushed, as everywhere under FTZ) */
LOGREG__TARGET_NEON static void test_neon32_div(void) {
    double worst = 0.0, worst_tiny = 0.0, want, err;
    float a, b, q[4];
    int i;
    for (i = 0; i < 200000; i++) {
        a = uni(-2.0f, 2.0f) * (i % 7 == 0 ? 1e-30f : i % 7 == 1 ? 1e-36f : 1.0f);
        b = i % 5 == 0 ? 1.0f + (float)(i % 4) : uni(1.0f, 4.0f);
        want = (double)a / (double)b;
        if (fabs(want) < FLT_MIN) continue;
        vst1q_f32(q, logreg__neon_div(vdupq_n_f32(a), vdupq_n_f32(b)));
        err = ref_ulp_error(q[0], want);
        if (fabsf(a) >= 0x1p-100f) worst = err > worst ? err : worst;
        else worst_tiny = err > worst_tiny ? err : worst_tiny;
    }
    CHECK(worst <= 0.5 + 1e-6 && worst_tiny <= 3.0, "neon32 a/b: %.4f ULP, %.3f for |a| < 2^-100", worst, worst_tiny);
    printf("  neon32 a/b for b in [1, 4]: max %.4f ULP (%.3f for |a| < 2^-100)\n", worst, worst_tiny);
}
#endif

#if TEST_FENCES
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
/* n floats with a page that faults on any access right after them (end) or right before them */
typedef struct fenced { char *map; size_t len; float *p; } fenced;
static fenced fence(size_t n, int end) {
    size_t pg = (size_t)sysconf(_SC_PAGESIZE), bytes = (n * sizeof(float) + pg - 1) / pg * pg;
    fenced f;
    f.len = bytes + 2 * pg;
    f.map = (char *)mmap(NULL, f.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f.map == (char *)MAP_FAILED) abort();
    mprotect(f.map, pg, PROT_NONE), mprotect(f.map + pg + bytes, pg, PROT_NONE);
    f.p = end ? (float *)(f.map + pg + bytes) - n : (float *)(f.map + pg);
    return f;
}
static void unfence(fenced f) { munmap(f.map, f.len); }
static sigjmp_buf fence_jmp;
static void on_fault(int sig) { (void)sig; siglongjmp(fence_jmp, 1); }

/* The kernels on one shape with fenced arrays: 1 if any of them touched a fence. */
typedef struct fenced_call { size_t n, m, ld; float *X, *y, *sw, *w, *r, *g; } fenced_call;
static int fenced_fault(const fenced_call *F) {
    float gb;
    double loss;
    if (sigsetjmp(fence_jmp, 1)) return 1;
    logreg_residual(F->X, F->n, F->m, F->ld, F->w, 0.25f, F->y, F->r);
    logreg_sigmoid(F->r, F->r, F->n);
    logreg_predict_proba(F->X, F->n, F->m, F->ld, F->w, 0.25f, F->r);
    logreg_grad_accumulate(F->X, F->n, F->m, F->ld, F->r, F->g);
    logreg_loss_grad(F->X, F->n, F->m, F->ld, F->y, NULL, F->w, 0.25f, &loss, F->g, &gb);
    logreg_loss_grad(F->X, F->n, F->m, F->ld, F->y, F->sw, F->w, 0.25f, NULL, F->g, &gb);
    return 0;
}

/* Every kernel with each of its arrays flush against a page it may not touch, after its last
   float and before its first: X of (n-1) ld + m floats (a row's padding and whatever follows the
   last row are not the caller's to read), tails of every vector width, narrow and wide rows. */
static void test_bounds(void) {
    static const size_t ms[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 20, 24, 31, 32, 33, 47, 48,
                                63, 64, 65, 127, 128, 129, 257, 1023, 1024, 1025, 2049};
    static const size_t ns[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 257};
    struct sigaction sa, old_segv, old_bus;
    size_t a, c, i, faults = 0, runs = 0, bad_m = 0, bad_n = 0;
    int end, bad_end = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigaction(SIGSEGV, &sa, &old_segv), sigaction(SIGBUS, &sa, &old_bus);
    for (end = 0; end < 2; end++)
        for (a = 0; a < sizeof ms / sizeof ms[0]; a++)
            for (c = 0; c < sizeof ns / sizeof ns[0]; c++) {
                size_t m = ms[a], n = ns[c], ld = m + (a + c) % 3, nx = (n - 1) * ld + m;
                fenced X, y, sw, w, r, g;
                fenced_call F;
                if (n * m > 70000) continue;
                X = fence(nx, end), y = fence(n, end), sw = fence(n, end), w = fence(m, end), r = fence(n, end), g = fence(m, end);
                for (i = 0; i < nx; i++) X.p[i] = uni(-1, 1);
                for (i = 0; i < n; i++) y.p[i] = (float)(i & 1), sw.p[i] = 0.5f + (float)(i % 3);
                for (i = 0; i < m; i++) w.p[i] = uni(-0.5f, 0.5f), g.p[i] = 0;
                F.n = n, F.m = m, F.ld = ld, F.X = X.p, F.y = y.p, F.sw = sw.p, F.w = w.p, F.r = r.p, F.g = g.p;
                runs++;
                if (fenced_fault(&F) && faults++ == 0) bad_m = m, bad_n = n, bad_end = end;
                unfence(X), unfence(y), unfence(sw), unfence(w), unfence(r), unfence(g);
            }
    sigaction(SIGSEGV, &old_segv, NULL), sigaction(SIGBUS, &old_bus, NULL);
    CHECK(faults == 0, "%s: %zu of %zu shapes read outside the caller's arrays (first: n=%zu m=%zu, fences %s the arrays)",
          path_name(), faults, runs, bad_n, bad_m, bad_end ? "after" : "before");
}
#endif

int main(int argc, char **argv) {
    int isa;
    size_t big = 10000000, m4 = 4, i;
    float *Xb = (float *)malloc(big * m4 * sizeof(float)), *yb = (float *)malloc(big * sizeof(float));
    synth_make(big, m4, m4, 7, Xb, yb, NULL);
    for (i = 0; i < big * m4; i++) Xb[i] = Xb[i] + 0.5f; /* a mean, so the sums do not cancel */
    optimum opt = optimum_make();
    for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
        if (!test_wants(argc, argv, logreg_isa_name((logreg_isa)isa))) continue;
        if (!logreg_isa_available((logreg_isa)isa)) {
            printf("path %s: not available here, skipped\n", logreg_isa_name((logreg_isa)isa));
            continue;
        }
        CHECK(logreg_isa_select((logreg_isa)isa) == LOGREG_OK && logreg_isa_active() == (logreg_isa)isa,
              "cannot select %s", logreg_isa_name((logreg_isa)isa));
        printf("path %s\n", path_name());
        test_sigmoid();
        test_shapes((logreg_isa)isa);
        test_alignment();
        test_weight_scale();
        test_finite_differences();
        test_long_sum(Xb, yb, big, m4);
        test_optimum(&opt);
#if TEST_FENCES
        test_bounds();
#endif
#if defined(LOGREG__NEON32)
        if (isa == LOGREG_ISA_NEON) test_neon32_div();
#endif
    }
    free(Xb), free(yb), free(opt.X), free(opt.y);
    return test_finish();
}
