/* logreg_train: option defaults, input checks, and the GD, SGD and L-BFGS solvers, all on the
   one-pass loss+gradient of dispatch.h. The iterate is kept in double but always holds float
   values, so the point a solver reasons about is exactly the point the kernels evaluate. */
#include "dispatch.h"

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
static double logreg__now(void) {
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)f.QuadPart;
}
#else
#include <time.h>
#if defined(CLOCK_MONOTONIC)
static double logreg__now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
#else /* strict C99 without POSIX: processor time, which is wall time for this one thread */
static double logreg__now(void) { return (double)clock() / CLOCKS_PER_SEC; }
#endif
#endif

/* Defaults for zero fields of logreg_options. */
#define LOGREG__DEFAULT_LEARNING_RATE 0.1f
#define LOGREG__DEFAULT_TOL 1e-6
#define LOGREG__DEFAULT_ITER_GD 1000
#define LOGREG__DEFAULT_ITER_SGD 100
#define LOGREG__DEFAULT_ITER_LBFGS 1000
#define LOGREG__DEFAULT_BATCH 64
/* L-BFGS keeps n/10 (s, y) pairs, at least 10 and at most 100 (fewer if they would pass
   64 MiB): the two-loop recursion then costs at most about a tenth of a pass over X, and on
   ill-conditioned data the extra pairs cut the passes several-fold (Fashion-MNIST T1: 447
   iterations with 10 pairs, 164 with 100). */
#define LOGREG__LBFGS_PAIRS_MIN 10
#define LOGREG__LBFGS_PAIRS_MAX 100
#define LOGREG__LBFGS_BYTES (64u << 20)

/* One training run: the problem, the resolved options, and O(m) buffers. K models (one, or
   one-vs-rest trained together) share X; the point is K blocks of (w, b), d = K (m+1) values. */
typedef struct logreg__run {
    const logreg__kernels *k;
    const float *X, *sw;
    logreg__labels L;
    size_t n, m, ld, d;
    logreg_options o;   /* resolved: no zero defaults left */
    double l2, t0;
    double *loss;       /* K: each model's objective at the last evaluated point */
    float *wf, *bf, *acc; /* the float point handed to the kernels (K m, K); kernel scratch (K m) */
    logreg_report rep;
} logreg__run;

static logreg_status logreg__resolve(const logreg_options *in, size_t n, logreg_options *o) {
    if (in) *o = *in;
    else memset(o, 0, sizeof *o);
    if ((int)o->solver < LOGREG_SOLVER_DEFAULT || (int)o->solver > LOGREG_SOLVER_LBFGS) return LOGREG_ERR_ARG;
    if (!logreg__finite(o->learning_rate) || !logreg__finite(o->l2) || !logreg__finite_d(o->tol))
        return LOGREG_ERR_NONFINITE;
    if (o->learning_rate < 0.0f || o->l2 < 0.0f || o->tol < 0.0) return LOGREG_ERR_ARG;
    if (o->solver == LOGREG_SOLVER_DEFAULT) o->solver = LOGREG_SOLVER_LBFGS;
    if (o->learning_rate == 0.0f) o->learning_rate = LOGREG__DEFAULT_LEARNING_RATE;
    if (o->tol == 0.0) o->tol = LOGREG__DEFAULT_TOL;
    if (o->max_iter == 0)
        o->max_iter = o->solver == LOGREG_SOLVER_GD    ? LOGREG__DEFAULT_ITER_GD
                      : o->solver == LOGREG_SOLVER_SGD ? LOGREG__DEFAULT_ITER_SGD
                                                       : LOGREG__DEFAULT_ITER_LBFGS;
    if (o->batch_size == 0) o->batch_size = LOGREG__DEFAULT_BATCH;
    if (o->batch_size > n) o->batch_size = n;
    return LOGREG_OK;
}

/* Everything the trainer reads, checked before any step (y NULL: class indices, checked by the
   caller). In the same pass over X, when sq is not NULL: sq[j] = the (weighted) mean of
   x_ij^2, for the L-BFGS preconditioner. */
static logreg_status logreg__check_data(const float *X, size_t n, size_t m, size_t ld,
                                        const float *y, const float *sw, double *sq) {
    unsigned bad = 0;
    uint32_t nonfinite = 0;
    double wsum = 0.0;
    size_t i, j;
    for (i = 0; y && i < n; i++) bad |= logreg__label_flags(y[i]);
    if (sw)
        for (i = 0; i < n; i++) bad |= logreg__weight_flags(sw[i]), wsum += sw[i];
    if (bad) return logreg__flags_status(bad);
    if (sw && !(wsum > 0.0)) return LOGREG_ERR_ARG;
    if (sq) memset(sq, 0, m * sizeof(double));
    for (i = 0; i < n && !nonfinite; i++) {
        const float *x = X + i * ld;
        double wi = sw ? (double)sw[i] : 1.0;
        for (j = 0; j < m; j++) nonfinite |= (logreg__bits(x[j]) & 0x7f800000u) == 0x7f800000u;
        if (sq)
            for (j = 0; j < m; j++) sq[j] += wi * (double)x[j] * (double)x[j];
    }
    if (nonfinite) return LOGREG_ERR_NONFINITE;
    if (sq)
        for (j = 0; j < m; j++) sq[j] /= sw ? wsum : (double)n;
    return LOGREG_OK;
}

LOGREG__INLINE double logreg__round_f(double v) { return (double)(float)v; }

static double logreg__norm_inf(const double *v, size_t d) {
    double x = 0.0;
    size_t j;
    for (j = 0; j < d; j++) x = fabs(v[j]) > x ? fabs(v[j]) : x;
    return x;
}

static double logreg__dotd(const double *a, const double *b, size_t d) {
    double s = 0.0;
    size_t j;
    for (j = 0; j < d; j++) s += a[j] * b[j];
    return s;
}

/* J and ∇J at theta over rows [0, n) of X: the regularized objective for the trainer, summed
   over the K models (t->loss gets each one's). */
static logreg_status logreg__eval(logreg__run *t, const float *X, size_t n, size_t ld,
                                  const logreg__labels *L, const float *sw, const double *theta, double *J,
                                  double *g) {
    size_t j, c, m = t->m, K = L->K;
    logreg_status st;
    for (c = 0; c < K; c++) {
        for (j = 0; j < m; j++) t->wf[c * m + j] = (float)theta[c * (m + 1) + j];
        t->bf[c] = (float)theta[c * (m + 1) + m];
    }
    st = logreg__loss_grad_d(t->k, X, n, m, ld, L, sw, t->wf, t->bf, J ? t->loss : NULL, g, t->acc);
    if (st != LOGREG_OK) return st;
    for (c = 0; c < K; c++) {
        const double *w = theta + c * (m + 1);
        double reg = 0.0;
        for (j = 0; t->l2 > 0.0 && j < m; j++) reg += w[j] * w[j], g[c * (m + 1) + j] += t->l2 * w[j];
        if (J) t->loss[c] += 0.5 * t->l2 * reg;
    }
    if (J)
        for (*J = 0.0, c = 0; c < K; c++) *J += t->loss[c];
    if ((J && !logreg__finite_d(*J)) || !logreg__finite_d(logreg__norm_inf(g, K * (m + 1))))
        return LOGREG_ERR_NONFINITE;
    return LOGREG_OK;
}

static logreg_status logreg__eval_all(logreg__run *t, const double *theta, double *J, double *g) {
    return logreg__eval(t, t->X, t->n, t->ld, &t->L, t->sw, theta, J, g);
}

/* Records the state after iteration `iter` for the report. */
static void logreg__record(logreg__run *t, size_t iter, double J, const double *g) {
    t->rep.iterations = iter;
    t->rep.loss = J;
    t->rep.grad_norm = logreg__norm_inf(g, t->d);
    t->rep.seconds = logreg__now() - t->t0;
}

/* Records iteration `iter` (>= 1) and asks the callback whether to go on (1 = stop). */
static int logreg__step_done(logreg__run *t, size_t iter, double J, const double *g) {
    logreg_progress p;
    logreg__record(t, iter, J, g);
    if (!t->o.progress) return 0;
    p.iter = iter;
    p.loss = J;
    p.grad_norm = t->rep.grad_norm;
    p.seconds = t->rep.seconds;
    if (t->o.progress(&p, t->o.user) == 0) return 0;
    t->rep.stop = LOGREG_STOP_CALLBACK;
    return 1;
}

/* 1 when training should stop before another step: converged or out of iterations. */
static int logreg__should_stop(logreg__run *t, size_t iter) {
    if (t->rep.grad_norm <= t->o.tol) {
        t->rep.stop = LOGREG_STOP_CONVERGED;
        return 1;
    }
    if (iter >= t->o.max_iter) {
        t->rep.stop = LOGREG_STOP_MAX_ITER;
        return 1;
    }
    return 0;
}

/* Full-batch gradient descent, exactly the seeds' update: θ ← θ − α∇J (∇J includes λw). */
static logreg_status logreg__gd(logreg__run *t, double *theta, double *buf) {
    size_t d = t->d, j, it = 0;
    double *g = buf, *next = buf + d, *gn = buf + 2 * d, J;
    double alpha = t->o.learning_rate;
    logreg_status st = logreg__eval_all(t, theta, &J, g);
    if (st != LOGREG_OK) return st;
    logreg__record(t, 0, J, g);
    while (!logreg__should_stop(t, it)) {
        for (j = 0; j < d; j++) next[j] = logreg__round_f(theta[j] - alpha * g[j]);
        if (logreg__eval_all(t, next, &J, gn) != LOGREG_OK) return LOGREG_ERR_DIVERGED;
        memcpy(theta, next, d * sizeof(double));
        memcpy(g, gn, d * sizeof(double));
        if (logreg__step_done(t, ++it, J, g)) break;
    }
    return LOGREG_OK;
}

/* A keyed bijection of [0, n) for shuffling without an O(n) permutation: a 4-round Feistel
   network on the smallest even number of bits covering n, cycle-walked back into range. */
typedef struct logreg__perm {
    uint64_t n, key;
    unsigned half; /* bits per Feistel half */
} logreg__perm;

LOGREG__INLINE uint64_t logreg__mix(uint64_t x) { /* splitmix64's finalizer */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void logreg__perm_init(logreg__perm *p, uint64_t n, uint64_t seed, uint64_t epoch) {
    p->n = n;
    p->key = logreg__mix(seed + 0x9e3779b97f4a7c15ull * (epoch + 1));
    p->half = 1;
    while ((1ull << (2 * p->half)) < n) p->half++;
}

static uint64_t logreg__perm_at(const logreg__perm *p, uint64_t i) {
    uint64_t mask = (1ull << p->half) - 1, l, r, t;
    int round;
    do {
        l = i >> p->half, r = i & mask;
        for (round = 0; round < 4; round++) {
            t = l ^ (logreg__mix(r ^ (p->key + (uint64_t)round * 0x632be59bd9b4e019ull)) & mask);
            l = r, r = t;
        }
        i = (l << p->half) | r;
    } while (i >= p->n);
    return i;
}

/* Mini-batch SGD: each epoch visits every row once in a fresh order from (seed, epoch); step
   α/√(1+epoch) with each batch's weighted mean gradient. After each epoch one full pass gives
   J and ∇J for the report, the callback and the stopping test. */
static logreg_status logreg__sgd(logreg__run *t, double *theta, double *buf, float *batch) {
    size_t d = t->d, m = t->m, bs = t->o.batch_size, it = 0, i, j, k, nb;
    double *g = buf, *start = buf + d, J;
    float *Xb = batch, *yb = batch + bs * m, *swb = yb + bs;
    logreg__labels Lb;
    logreg__perm perm;
    Lb.y = yb, Lb.cls = NULL, Lb.K = 1, Lb.lab = NULL;
    logreg_status st = logreg__eval_all(t, theta, &J, g);
    if (st != LOGREG_OK) return st;
    logreg__record(t, 0, J, g);
    while (!logreg__should_stop(t, it)) {
        double alpha = t->o.learning_rate / sqrt(1.0 + (double)it);
        memcpy(start, theta, d * sizeof(double));
        logreg__perm_init(&perm, t->n, t->o.seed, it);
        for (i = 0; i < t->n; i += nb) {
            nb = t->n - i < bs ? t->n - i : bs;
            for (k = 0; k < nb; k++) {
                size_t row = (size_t)logreg__perm_at(&perm, i + k);
                memcpy(Xb + k * m, t->X + row * t->ld, m * sizeof(float));
                yb[k] = t->L.y[row];
                swb[k] = t->sw ? t->sw[row] : 1.0f;
            }
            st = logreg__eval(t, Xb, nb, m, &Lb, t->sw ? swb : NULL, theta, NULL, g);
            if (st == LOGREG_ERR_ARG) continue; /* every weight in this batch is zero */
            if (st != LOGREG_OK) break;
            for (j = 0; j < d; j++) theta[j] = logreg__round_f(theta[j] - alpha * g[j]);
        }
        if (st == LOGREG_OK || st == LOGREG_ERR_ARG) st = logreg__eval_all(t, theta, &J, g);
        if (st != LOGREG_OK) {
            memcpy(theta, start, d * sizeof(double));
            return LOGREG_ERR_DIVERGED;
        }
        if (logreg__step_done(t, ++it, J, g)) break;
    }
    return LOGREG_OK;
}

/* Line search for L-BFGS along d from theta (J0, slope dphi0 = ∇J·d < 0). J is convex, so the
   directional derivative φ'(α) ≤ 0 at a step proves J fell along the whole step without
   comparing two noisy loss values; past the minimum (φ' > 0) the Armijo test decides. Accepts
   weak-Wolfe points with φ' ≤ 0 and strong-Wolfe points with φ' > 0. Returns 0 if no step that
   changes the float point could be found. On success, next/gnext/Jnext hold the new point. */
static int logreg__line_search(logreg__run *t, const double *theta, double J0, double dphi0,
                               const double *dir, double alpha, double *next, double *gnext,
                               double *Jnext, double *keep, double *gkeep) {
    const double c1 = 1e-4, c2 = 0.9;
    size_t d = t->d, j;
    double lo = 0.0, dlo = dphi0, hi = 0.0, dhi = 0.0, Jkeep = J0;
    int have_hi = 0, hi_finite = 0, have_keep = 0, tries;
    for (tries = 0; tries < 40; tries++) {
        double dphi;
        int moved = 0;
        for (j = 0; j < d; j++) {
            next[j] = logreg__round_f(theta[j] + alpha * dir[j]);
            moved |= next[j] != theta[j];
        }
        if (!moved) break;
        if (logreg__eval_all(t, next, Jnext, gnext) != LOGREG_OK) { /* overflow: come back */
            have_hi = 1, hi_finite = 0, hi = alpha;
            alpha = lo + 0.1 * (alpha - lo);
            continue;
        }
        dphi = logreg__dotd(gnext, dir, d);
        if (dphi < c2 * dphi0) { /* still steep: J fell, but go further */
            lo = alpha, dlo = dphi;
            memcpy(keep, next, d * sizeof(double));
            memcpy(gkeep, gnext, d * sizeof(double));
            Jkeep = *Jnext, have_keep = 1;
            if (!have_hi) {
                alpha *= 4.0;
                continue;
            }
        } else if (dphi <= 0.0) {
            return 1;
        } else if (*Jnext <= J0 + c1 * alpha * dphi0 && dphi <= -c2 * dphi0) {
            return 1;
        } else {
            have_hi = 1, hi_finite = 1, hi = alpha, dhi = dphi;
        }
        if (hi_finite) { /* secant on φ' between lo and hi, kept away from both ends */
            double a = lo + (hi - lo) * (-dlo / (dhi - dlo));
            double w = hi - lo;
            alpha = a < lo + 0.1 * w ? lo + 0.1 * w : a > hi - 0.1 * w ? hi - 0.1 * w : a;
        } else {
            alpha = 0.5 * (lo + hi);
        }
    }
    if (!have_keep) return 0;
    memcpy(next, keep, d * sizeof(double));
    memcpy(gnext, gkeep, d * sizeof(double));
    *Jnext = Jkeep;
    return 1;
}

/* L-BFGS (Nocedal & Wright, Algorithm 7.4) with the line search above, preconditioned: the
   initial inverse Hessian is gamma diag(dinv), dinv = 1/(λ + E[x_j^2]/4) (1/(1/4) for the
   bias), the diagonal of the Hessian at z = 0. That is L-BFGS on standardized features, with
   the objective itself unchanged. dinv arrives in buf[0..d) holding E[x_j^2]. */
static size_t logreg__lbfgs_pairs(size_t n, size_t d) {
    size_t p = n / 10, cap = LOGREG__LBFGS_BYTES / (2 * sizeof(double) * (d + 1));
    if (p > cap) p = cap;
    if (p > LOGREG__LBFGS_PAIRS_MAX) p = LOGREG__LBFGS_PAIRS_MAX;
    return p < LOGREG__LBFGS_PAIRS_MIN ? LOGREG__LBFGS_PAIRS_MIN : p;
}

static logreg_status logreg__lbfgs(logreg__run *t, double *theta, double *buf) {
    size_t d = t->d, it = 0, j, c, used = 0, newest = 0, K = t->L.K, d1 = t->m + 1;
    const size_t P = logreg__lbfgs_pairs(t->n, t->d);
    double *dinv = buf, *g = dinv + d, *dir = g + d, *next = dir + d, *gn = next + d, *keep = gn + d;
    double *gkeep = keep + d, *S = gkeep + d, *Y = S + P * d, *rho = Y + P * d, *al = rho + P * K;
    double J, Jn;
    logreg_status st = logreg__eval_all(t, theta, &J, g);
    if (st != LOGREG_OK) return st;
    for (j = 0; j < t->m; j++) {
        double h = t->l2 + 0.25 * dinv[j];
        dinv[j] = h > 0.0 ? 1.0 / h : 1.0; /* a zero column without l2: any scale will do */
    }
    dinv[t->m] = 4.0;
    for (j = d1; j < d; j++) dinv[j] = dinv[j % d1]; /* the same for every model */
    logreg__record(t, 0, J, g);
    while (!logreg__should_stop(t, it)) {
        double dphi0, alpha = 1.0;
        size_t p, q;
        /* two-loop recursion, dir = -H g, with H block-diagonal: each of the K models has its
           own curvature (rho, gamma) over the shared pairs, the line search is shared */
        for (j = 0; j < d; j++) dir[j] = -g[j];
        for (q = 0; q < used; q++) {
            p = (newest + P - q) % P;
            for (c = 0; c < K; c++) {
                double a = al[p * K + c] = rho[p * K + c] * logreg__dotd(S + p * d + c * d1, dir + c * d1, d1);
                for (j = c * d1; j < (c + 1) * d1; j++) dir[j] -= a * Y[p * d + j];
            }
        }
        for (c = 0; c < K; c++) {
            double gamma = 1.0, yhy = 0.0;
            if (used && rho[newest * K + c] > 0.0) {
                for (j = c * d1; j < (c + 1) * d1; j++) yhy += Y[newest * d + j] * dinv[j] * Y[newest * d + j];
                gamma = 1.0 / (rho[newest * K + c] * yhy);
            }
            for (j = c * d1; j < (c + 1) * d1; j++) dir[j] *= gamma * dinv[j];
        }
        for (q = used; q-- > 0;) {
            p = (newest + P - q) % P;
            for (c = 0; c < K; c++) {
                double beta = rho[p * K + c] * logreg__dotd(Y + p * d + c * d1, dir + c * d1, d1);
                for (j = c * d1; j < (c + 1) * d1; j++) dir[j] += S[p * d + j] * (al[p * K + c] - beta);
            }
        }
        dphi0 = logreg__dotd(g, dir, d);
        if (!(dphi0 < 0.0)) { /* not a descent direction: forget the curvature pairs */
            for (j = 0; j < d; j++) dir[j] = -g[j] * dinv[j];
            dphi0 = logreg__dotd(g, dir, d);
            used = 0;
        }
        if (!logreg__line_search(t, theta, J, dphi0, dir, alpha, next, gn, &Jn, keep, gkeep)) {
            if (used) { /* retry once from steepest descent before giving up */
                used = 0;
                continue;
            }
            t->rep.stop = LOGREG_STOP_STALLED;
            break;
        }
        /* new pair s = next - theta, y = gn - g; each model uses it only with positive curvature */
        p = (newest + 1) % P;
        for (j = 0; j < d; j++) S[p * d + j] = next[j] - theta[j], Y[p * d + j] = gn[j] - g[j];
        {
            int any = 0;
            for (c = 0; c < K; c++) {
                double sy = logreg__dotd(S + p * d + c * d1, Y + p * d + c * d1, d1);
                int ok = sy > 0.0 && sy > 1e-12 * logreg__dotd(Y + p * d + c * d1, Y + p * d + c * d1, d1);
                rho[p * K + c] = ok ? 1.0 / sy : 0.0;
                any |= ok;
            }
            if (any) {
                newest = p;
                used = used < P ? used + 1 : P;
            }
        }
        memcpy(theta, next, d * sizeof(double));
        memcpy(g, gn, d * sizeof(double));
        J = Jn;
        if (logreg__step_done(t, ++it, J, g)) break;
    }
    return LOGREG_OK;
}

/* Trains K models on X: one on labels y (K == 1), or K one-vs-rest models on class indices cls
   (L-BFGS only), all together, one pass over X per iteration. W (K m) and B (K) hold the
   starting points and get the results; reports (K) may be NULL. */
static logreg_status logreg__train(const float *X, size_t n, size_t m, size_t ld, const float *y, const int *cls,
                                   size_t K, const logreg_options *opt, float *W, float *B,
                                   logreg_report *reports) {
    logreg__run t;
    size_t d = K * (m + 1), nd, nf, j, c;
    double *theta, *buf;
    logreg_status st;
    memset(&t, 0, sizeof t);
    st = logreg__resolve(opt, n, &t.o);
    if (st != LOGREG_OK) return st;
    if (!logreg__all_finite(W, K * m) || !logreg__all_finite(B, K)) return LOGREG_ERR_NONFINITE;

    t.k = logreg__kernels_now();
    t.X = X, t.sw = t.o.sample_weight;
    t.L.y = y, t.L.cls = cls, t.L.K = K;
    t.n = n, t.m = m, t.ld = ld, t.d = d;
    t.l2 = t.o.l2;
    t.t0 = logreg__now();
    t.rep.stop = LOGREG_STOP_MAX_ITER;

    /* doubles: theta, the K losses, the solver's vectors; floats: W, B and scratch for the
       kernels, the 0/1 labels of one block for one-vs-rest, one SGD batch */
    nd = d + K + (t.o.solver == LOGREG_SOLVER_LBFGS ? 7 * d + 2 * logreg__lbfgs_pairs(n, d) * (d + K) : 3 * d);
    nf = 2 * K * m + K + 48 + (cls ? K * LOGREG__BLOCK_MAX : 0) + (t.o.solver == LOGREG_SOLVER_SGD ? t.o.batch_size * (m + 2) : 0);
    if (nf > (SIZE_MAX - nd * sizeof(double)) / sizeof(float)) return LOGREG_ERR_NOMEM;
    theta = (double *)LOGREG_MALLOC(nd * sizeof(double) + nf * sizeof(float));
    if (!theta) return LOGREG_ERR_NOMEM;
    t.loss = theta + d;
    buf = t.loss + K;
    t.wf = logreg__align64(theta + nd); /* 48 floats of slack: three cache-line starts */
    t.acc = logreg__align64(t.wf + K * m);
    t.bf = t.acc + K * m;
    t.L.lab = t.bf + K;
    st = logreg__check_data(X, n, m, ld, y, t.sw, t.o.solver == LOGREG_SOLVER_LBFGS ? buf : NULL);
    if (st != LOGREG_OK) {
        LOGREG_FREE(theta);
        return st;
    }
    for (c = 0; c < K; c++) {
        for (j = 0; j < m; j++) theta[c * (m + 1) + j] = W[c * m + j];
        theta[c * (m + 1) + m] = B[c];
    }

    if (t.o.solver == LOGREG_SOLVER_GD) st = logreg__gd(&t, theta, buf);
    else if (t.o.solver == LOGREG_SOLVER_SGD) st = logreg__sgd(&t, theta, buf, logreg__align64(t.L.lab + (cls ? K * LOGREG__BLOCK_MAX : 0)));
    else st = logreg__lbfgs(&t, theta, buf);

    if (st == LOGREG_OK || st == LOGREG_ERR_DIVERGED) {
        double J;
        for (c = 0; c < K; c++) {
            for (j = 0; j < m; j++) W[c * m + j] = (float)theta[c * (m + 1) + j];
            B[c] = (float)theta[c * (m + 1) + m];
        }
        t.rep.seconds = logreg__now() - t.t0;
        if (K == 1 && reports) reports[0] = t.rep;
        if (K > 1 && reports && logreg__eval_all(&t, theta, &J, buf) == LOGREG_OK)
            for (c = 0; c < K; c++) { /* each model's own loss and gradient at the result */
                reports[c] = t.rep;
                reports[c].loss = t.loss[c];
                reports[c].grad_norm = logreg__norm_inf(buf + c * (m + 1), m + 1);
            }
    }
    LOGREG_FREE(theta);
    return st;
}

LOGREG_API logreg_status logreg_train(const float *X, size_t n, size_t m, size_t ld, const float *y,
                                      const logreg_options *opt, float *w, float *b,
                                      logreg_report *report) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    if (st != LOGREG_OK) return st;
    if (n == 0 || !y || !w || !b) return LOGREG_ERR_ARG;
    return logreg__train(X, n, m, ld, y, NULL, 1, opt, w, b, report);
}
