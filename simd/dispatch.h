/* Choosing the path (CPUID + XGETBV, AT_HWCAP on 32-bit ARM, LOGREG_ISA, logreg_isa_select) and
   the public kernels: argument checks, row blocking and double accumulation around one ISA's
   kernels. */
#include "common.h"
#include "scalar.h"
#include "avx2.h"
#include "avx512.h"
#include "neon.h"

/* The chosen path lives in one int: 0 = not chosen yet, else a logreg_isa. Racing first calls
   agree through a compare-and-swap, so a logreg_isa_select() made meanwhile is never undone. */
#if defined(__GNUC__) || defined(__clang__)
typedef int logreg__atomic;
#define logreg__load(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define logreg__store(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
LOGREG__INLINE int logreg__cas(logreg__atomic *p, int expected, int desired) { /* the value now stored */
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ? desired : expected;
}
#elif defined(_MSC_VER)
#include <intrin.h>
typedef long logreg__atomic;
#define logreg__load(p) _InterlockedOr((volatile long *)(p), 0)
#define logreg__store(p, v) _InterlockedExchange((volatile long *)(p), (v))
LOGREG__INLINE int logreg__cas(logreg__atomic *p, int expected, int desired) {
    long old = _InterlockedCompareExchange((volatile long *)p, desired, expected);
    return old == expected ? desired : (int)old;
}
#else /* no atomics known: correct when the first call happens before threads start */
typedef volatile int logreg__atomic;
#define logreg__load(p) (*(p))
#define logreg__store(p, v) (*(p) = (v))
LOGREG__INLINE int logreg__cas(logreg__atomic *p, int expected, int desired) {
    if (*p == expected) *p = desired;
    return *p;
}
#endif

static logreg__atomic logreg__active_isa;
static logreg__atomic logreg__cpu_bits; /* 0 = not probed; else 1 | LOGREG__CPU_* */
#define LOGREG__CPU_AVX2 2
#define LOGREG__CPU_AVX512 4
#define LOGREG__CPU_NEON 8 /* 32-bit ARM only: AArch64 always has it */

#if defined(LOGREG__X86)
static void logreg__cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
    __asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static uint64_t logreg__xgetbv0(void) {
    unsigned lo, hi;
    __asm__ __volatile__(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0u)); /* xgetbv */
    return ((uint64_t)hi << 32) | lo;
}
static int logreg__probe_cpu(void) {
    unsigned r[4], max_leaf, ebx7;
    int bits = 1;
    uint64_t xcr0;
    logreg__cpuid(0, 0, r);
    max_leaf = r[0];
    if (max_leaf < 7) return bits;
    logreg__cpuid(1, 0, r);
    /* ECX: FMA (12), OSXSAVE (27), AVX (28) */
    if ((r[2] & ((1u << 12) | (1u << 27) | (1u << 28))) != ((1u << 12) | (1u << 27) | (1u << 28)))
        return bits;
    xcr0 = logreg__xgetbv0();
    logreg__cpuid(7, 0, r);
    ebx7 = r[1];
    /* the OS saves XMM and YMM (XCR0 bits 1, 2); EBX7: AVX2 (5) */
    if ((xcr0 & 0x6) == 0x6 && (ebx7 & (1u << 5))) bits |= LOGREG__CPU_AVX2;
    /* opmask, ZMM_Hi256, Hi16_ZMM too (XCR0 bits 5-7); EBX7: F (16), DQ (17), BW (30), VL (31) */
    if ((bits & LOGREG__CPU_AVX2) && (xcr0 & 0xe6) == 0xe6 &&
        (ebx7 & ((1u << 16) | (1u << 17) | (1u << 30) | (1u << 31))) ==
            ((1u << 16) | (1u << 17) | (1u << 30) | (1u << 31)))
        bits |= LOGREG__CPU_AVX512;
    return bits;
}
#elif defined(LOGREG__NEON32_BY_FLAGS)
static int logreg__probe_cpu(void) { return 1 | LOGREG__CPU_NEON; }
#elif defined(LOGREG__NEON32)
#include <sys/auxv.h>
static int logreg__probe_cpu(void) { /* the kernel's HWCAP_NEON (bit 12) and HWCAP_VFPv4 (bit 16) */
    unsigned long hw = getauxval(AT_HWCAP), need = (1ul << 12) | (1ul << 16);
    return (hw & need) == need ? 1 | LOGREG__CPU_NEON : 1;
}
#else
static int logreg__probe_cpu(void) { return 1; }
#endif

LOGREG__UNUSED static int logreg__cpu(void) {
    int bits = logreg__load(&logreg__cpu_bits);
    if (!bits) {
        bits = logreg__probe_cpu();
        logreg__store(&logreg__cpu_bits, bits);
    }
    return bits;
}

static const logreg__kernels *logreg__table(logreg_isa isa) {
    switch (isa) {
#if defined(LOGREG__X86)
    case LOGREG_ISA_AVX2: return &logreg__avx2_kernels;
#if defined(LOGREG__X86_AVX512)
    case LOGREG_ISA_AVX512: return &logreg__avx512_kernels;
#endif
#endif
#if defined(LOGREG__NEON)
    case LOGREG_ISA_NEON: return &logreg__neon_kernels;
#endif
    default: return &logreg__scalar_kernels;
    }
}

LOGREG_API int logreg_isa_available(logreg_isa isa) {
    switch (isa) {
    case LOGREG_ISA_AUTO:
    case LOGREG_ISA_SCALAR: return 1;
#if defined(LOGREG__X86)
    case LOGREG_ISA_AVX2: return (logreg__cpu() & LOGREG__CPU_AVX2) != 0;
#if defined(LOGREG__X86_AVX512)
    case LOGREG_ISA_AVX512: return (logreg__cpu() & LOGREG__CPU_AVX512) != 0;
#endif
#endif
#if defined(LOGREG__NEON32)
    case LOGREG_ISA_NEON: return (logreg__cpu() & LOGREG__CPU_NEON) != 0;
#elif defined(LOGREG__NEON)
    case LOGREG_ISA_NEON: return 1;
#endif
    default: return 0;
    }
}

static logreg_isa logreg__best(void) {
    if (logreg_isa_available(LOGREG_ISA_AVX512)) return LOGREG_ISA_AVX512;
    if (logreg_isa_available(LOGREG_ISA_AVX2)) return LOGREG_ISA_AVX2;
    if (logreg_isa_available(LOGREG_ISA_NEON)) return LOGREG_ISA_NEON;
    return LOGREG_ISA_SCALAR;
}

LOGREG_API const char *logreg_isa_name(logreg_isa isa) {
    switch (isa) {
    case LOGREG_ISA_AUTO: return "auto";
    case LOGREG_ISA_SCALAR: return "scalar";
    case LOGREG_ISA_AVX2: return "avx2";
    case LOGREG_ISA_AVX512: return "avx512";
    case LOGREG_ISA_NEON: return "neon";
    }
    return "unknown";
}

/* LOGREG_ISA=<name> if it names an available path, else the best one. */
static logreg_isa logreg__initial_isa(void) {
    const char *env = getenv("LOGREG_ISA");
    int i;
    if (env)
        for (i = LOGREG_ISA_SCALAR; i <= LOGREG_ISA_NEON; i++)
            if (strcmp(env, logreg_isa_name((logreg_isa)i)) == 0 && logreg_isa_available((logreg_isa)i))
                return (logreg_isa)i;
    return logreg__best();
}

static const logreg__kernels *logreg__kernels_now(void) {
    int isa = logreg__load(&logreg__active_isa);
    if (!isa) isa = logreg__cas(&logreg__active_isa, 0, (int)logreg__initial_isa());
    return logreg__table((logreg_isa)isa);
}

LOGREG_API logreg_isa logreg_isa_active(void) { return logreg__kernels_now()->isa; }

LOGREG_API logreg_status logreg_isa_select(logreg_isa isa) {
    if ((int)isa < LOGREG_ISA_AUTO || (int)isa > LOGREG_ISA_NEON) return LOGREG_ERR_ARG;
    if (isa == LOGREG_ISA_AUTO) isa = logreg__best();
    if (!logreg_isa_available(isa)) return LOGREG_ERR_UNSUPPORTED;
    logreg__store(&logreg__active_isa, (int)isa);
    return LOGREG_OK;
}

LOGREG_API const char *logreg_status_string(logreg_status s) {
    switch (s) {
    case LOGREG_OK: return "ok";
    case LOGREG_ERR_ARG: return "invalid argument (NULL data, m == 0, ld < m, size overflow or bad option)";
    case LOGREG_ERR_NONFINITE: return "NaN or infinity in the input (X, y, weights, w, b or options) or an overflowing result";
    case LOGREG_ERR_LABEL: return "label outside [0, 1]";
    case LOGREG_ERR_NOMEM: return "out of memory";
    case LOGREG_ERR_DIVERGED: return "training diverged; w and b hold the last finite iterate";
    case LOGREG_ERR_UNSUPPORTED: return "not supported by this CPU or build";
    case LOGREG_ERR_IO: return "model file could not be opened, read, written or renamed";
    case LOGREG_ERR_FORMAT: return "not a valid model file (magic, size, dimensions or checksum)";
    case LOGREG_ERR_VERSION: return "model file format version not supported by this build";
    }
    return "unknown status";
}

LOGREG_API const char *logreg_stop_string(logreg_stop s) {
    switch (s) {
    case LOGREG_STOP_CONVERGED: return "converged";
    case LOGREG_STOP_MAX_ITER: return "max_iter reached";
    case LOGREG_STOP_CALLBACK: return "stopped by the progress callback";
    case LOGREG_STOP_STALLED: return "stalled (no further decrease possible)";
    }
    return "unknown stop";
}

/* ---- argument checks shared by the public kernels and the trainer ---- */

/* X is n rows of m floats, ld apart; n*ld*sizeof(float) must fit in size_t. */
static logreg_status logreg__check_shape(const float *X, size_t n, size_t m, size_t ld) {
    if (m == 0 || ld < m) return LOGREG_ERR_ARG;
    if (n > 0 && (!X || ld > SIZE_MAX / sizeof(float) / n)) return LOGREG_ERR_ARG;
    return LOGREG_OK;
}

/* The finite check of w and the flush of the float sums into double take four elements a step,
   which GCC vectorizes at -O2 (its basic-block vectorizer; it leaves the plain loops scalar):
   G5 0.97-0.99x the time on the EPYC (scratch harness). */
static int logreg__all_finite(const float *v, size_t n) {
    uint32_t bad = 0;
    size_t i;
    for (i = 0; i + 4 <= n; i += 4)
        bad |= logreg__inf_bit(v[i]) | logreg__inf_bit(v[i + 1]) | logreg__inf_bit(v[i + 2]) | logreg__inf_bit(v[i + 3]);
    for (; i < n; i++) bad |= logreg__inf_bit(v[i]);
    return !(bad & 0x80000000u);
}

/* g[j] += acc[j], then acc = 0 */
static void logreg__flush(double *g, float *acc, size_t m) {
    size_t j;
    for (j = 0; j + 4 <= m; j += 4) g[j] += acc[j], g[j + 1] += acc[j + 1], g[j + 2] += acc[j + 2], g[j + 3] += acc[j + 3];
    for (; j < m; j++) g[j] += acc[j];
    memset(acc, 0, m * sizeof(float));
}

static logreg_status logreg__flags_status(unsigned f) {
    if (f & (LOGREG__BAD_Z | LOGREG__BAD_Y | LOGREG__BAD_SW)) return LOGREG_ERR_NONFINITE;
    if (f & LOGREG__BAD_LABEL) return LOGREG_ERR_LABEL;
    if (f & LOGREG__NEG_SW) return LOGREG_ERR_ARG;
    return LOGREG_OK;
}

/* The labels of a pass: y (n floats) for one model, or class indices cls (n ints in [0, K))
   for K one-vs-rest models, whose 0/1 labels are made block by block in lab (K blocks of
   LOGREG__BLOCK_MAX floats). */
typedef struct logreg__labels {
    const float *y;
    const int *cls;
    size_t K;
    float *lab;
} logreg__labels;

/* The power of two to multiply the weights by when a pass's sum of weights came out outside
   [2^-32, 2^100]: weights so large that the kernels' float sums may overflow, or so small that
   they read them as zero (denormals) or their products underflow. It brings the largest weight
   into [1, 2), or is 1 if that is in [2^-32, 2^32]; the weighted means do not change, and
   nothing rounds differently. The weights have been checked (finite, not negative). */
static double logreg__weight_scale(const float *sw, size_t n) {
    uint32_t top = 0, u;
    float x;
    size_t i;
    int e;
    for (i = 0; i < n; i++) top = (u = logreg__bits(sw[i])) > top && u < 0x80000000u ? u : top; /* not -0 */
    if (top == 0 || (top >= 0x2f800000u && top <= 0x4f800000u)) return 1.0; /* 2^-32, 2^32 */
    memcpy(&x, &top, sizeof x); /* non-negative floats order as their bits */
    (void)frexp((double)x, &e);
    return ldexp(1.0, 1 - e);
}

/* One pass of loss_grad_d with the weights multiplied by scale: the unnormalized sums in loss
   and g, the kernels' flags returned, the sum of weights in *wsum. */
static unsigned logreg__pass(const logreg__kernels *k, const float *X, size_t n, size_t m, size_t ld,
                             const logreg__labels *L, const float *sw, double scale, const float *W,
                             const float *B, double *loss, double *g, float *acc, double *wsum) {
    size_t rows = logreg__block_rows(m), since = 0, i, c, r, nb, K = L->K, d = m + 1;
    int fetch = logreg__prefetches(n, ld);
    unsigned bad = 0;
    float swb[LOGREG__BLOCK_MAX]; /* a block's weights times scale */
    *wsum = 0.0;
    memset(g, 0, K * d * sizeof(double));
    memset(acc, 0, K * m * sizeof(float));
    if (loss) memset(loss, 0, K * sizeof(double));
    for (i = 0; i < n; i += nb) {
        const float *swk = sw ? sw + i : NULL;
        nb = n - i < rows ? n - i : rows;
        if (L->cls)
            for (c = 0; c < K; c++)
                for (r = 0; r < nb; r++) L->lab[c * LOGREG__BLOCK_MAX + r] = (size_t)L->cls[i + r] == c ? 1.0f : 0.0f;
        if (scale != 1.0) {
            for (r = 0; r < nb; r++) swb[r] = (float)(sw[i + r] * scale);
            swk = swb;
        }
        for (c = 0; c < K; c++) { /* the first model's pass fetches the next block for all */
            double s[3] = {0.0, 0.0, 0.0};
            const float *next = fetch && c == 0 && i + nb < n ? X + (i + nb) * ld : NULL;
            bad |= k->loss_grad(X + i * ld, nb, m, ld, L->cls ? L->lab + c * LOGREG__BLOCK_MAX : L->y + i,
                                swk, W + c * m, B[c], loss != NULL, acc + c * m, s, next);
            if (loss) loss[c] += s[0];
            g[c * d + m] += s[1];
            if (c == 0) *wsum += s[2];
        }
        since += nb;
        if (since >= LOGREG__FLUSH_ROWS || i + nb == n) {
            for (c = 0; c < K; c++) logreg__flush(g + c * d, acc + c * m, m);
            since = 0;
        }
    }
    return bad;
}

/* Mean loss and gradient of K models, in double, in one pass over X: each block of rows comes
   from memory once and from cache for every model (a second pass only for extreme sample
   weights, see logreg__weight_scale). Model c has weights W + c*m and bias B[c]; its gradient
   goes to g + c*(m+1) (m weights, then the bias), its mean loss to loss[c] (not computed when
   loss is NULL). acc is K*m floats of scratch. Shapes, W and B are checked. */
static logreg_status logreg__loss_grad_d(const logreg__kernels *k, const float *X, size_t n, size_t m,
                                         size_t ld, const logreg__labels *L, const float *sw,
                                         const float *W, const float *B, double *loss, double *g,
                                         float *acc) {
    size_t j, c, K = L->K, d = m + 1;
    double wsum, inv, scale;
    unsigned bad = logreg__pass(k, X, n, m, ld, L, sw, 1.0, W, B, loss, g, acc, &wsum);
    if (!bad && sw && !(wsum >= 2.3283064365386963e-10 && wsum <= 1.2676506002282294e30) && /* 2^-32, 2^100 */
        (scale = logreg__weight_scale(sw, n)) != 1.0)
        bad = logreg__pass(k, X, n, m, ld, L, sw, scale, W, B, loss, g, acc, &wsum);
    if (bad) return logreg__flags_status(bad);
    if (!(wsum > 0.0)) return LOGREG_ERR_ARG; /* every sample weight is zero */
    inv = 1.0 / wsum;
    for (j = 0; j < K * d; j++) {
        g[j] *= inv;
        if (!logreg__finite((float)g[j])) return LOGREG_ERR_NONFINITE;
    }
    for (c = 0; loss && c < K; c++) {
        loss[c] *= inv;
        if (!logreg__finite_d(loss[c])) return LOGREG_ERR_NONFINITE;
    }
    return LOGREG_OK;
}

/* ---- the public kernels ---- */

LOGREG_API void logreg_sigmoid(const float *z, float *a, size_t n) {
    if (n == 0 || !z || !a) return;
    logreg__kernels_now()->sigmoid(z, a, n);
}

LOGREG_API logreg_status logreg_residual(const float *X, size_t n, size_t m, size_t ld,
                                         const float *w, float b, const float *y, float *r) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    if (st != LOGREG_OK) return st;
    if (!w || (n > 0 && (!y || !r))) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(w, m) || !logreg__finite(b)) return LOGREG_ERR_NONFINITE;
    if (n == 0) return LOGREG_OK;
    return logreg__flags_status(logreg__kernels_now()->residual(X, n, m, ld, w, b, y, r));
}

LOGREG_API logreg_status logreg_grad_accumulate(const float *X, size_t n, size_t m, size_t ld,
                                                const float *r, float *g) {
    const logreg__kernels *k = logreg__kernels_now();
    logreg_status st = logreg__check_shape(X, n, m, ld);
    double *sum;
    float *acc;
    size_t i, j, nb;
    if (st != LOGREG_OK) return st;
    if (!g || (n > 0 && !r)) return LOGREG_ERR_ARG;
    if (n == 0) return LOGREG_OK;
    sum = (double *)LOGREG_MALLOC(m * (sizeof(double) + sizeof(float)) + 64);
    if (!sum) return LOGREG_ERR_NOMEM;
    acc = logreg__align64(sum + m);
    for (j = 0; j < m; j++) sum[j] = g[j];
    for (i = 0; i < n; i += nb) {
        nb = n - i < LOGREG__FLUSH_ROWS ? n - i : LOGREG__FLUSH_ROWS;
        memset(acc, 0, m * sizeof(float));
        k->grad_accumulate(X + i * ld, nb, m, ld, r + i, acc);
        for (j = 0; j < m; j++) sum[j] += acc[j];
    }
    st = LOGREG_OK;
    for (j = 0; j < m; j++)
        if (!logreg__finite((float)sum[j])) st = LOGREG_ERR_NONFINITE;
    if (st == LOGREG_OK)
        for (j = 0; j < m; j++) g[j] = (float)sum[j];
    LOGREG_FREE(sum);
    return st;
}

LOGREG_API logreg_status logreg_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                          const float *y, const float *sw, const float *w, float b,
                                          double *loss, float *grad_w, float *grad_b) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    logreg__labels L;
    double *g, l;
    size_t j;
    if (st != LOGREG_OK) return st;
    if (n == 0 || !y || !w || !grad_w || !grad_b) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(w, m) || !logreg__finite(b)) return LOGREG_ERR_NONFINITE;
    g = (double *)LOGREG_MALLOC((m + 1) * sizeof(double) + m * sizeof(float) + 64);
    if (!g) return LOGREG_ERR_NOMEM;
    L.y = y, L.cls = NULL, L.K = 1, L.lab = NULL;
    st = logreg__loss_grad_d(logreg__kernels_now(), X, n, m, ld, &L, sw, w, &b, loss ? &l : NULL, g,
                             logreg__align64(g + m + 1));
    if (st == LOGREG_OK) {
        for (j = 0; j < m; j++) grad_w[j] = (float)g[j];
        *grad_b = (float)g[m];
        if (loss) *loss = l;
    }
    LOGREG_FREE(g);
    return st;
}

LOGREG_API logreg_status logreg_predict_proba(const float *X, size_t n, size_t m, size_t ld,
                                              const float *w, float b, float *p) {
    logreg_status st = logreg__check_shape(X, n, m, ld);
    if (st != LOGREG_OK) return st;
    if (!w || (n > 0 && !p)) return LOGREG_ERR_ARG;
    if (!logreg__all_finite(w, m) || !logreg__finite(b)) return LOGREG_ERR_NONFINITE;
    if (n == 0) return LOGREG_OK;
    return logreg__flags_status(logreg__kernels_now()->predict_proba(X, n, m, ld, w, b, p));
}
