/* NEON kernels (AArch64, and 32-bit ARM with VFPv4): 4 floats per vector, tails through a
   zero-padded 4-float buffer. Same functions, same order, same names as avx2.h and avx512.h;
   only the instruction set differs. */
#include "scalar.h"
#if defined(LOGREG__NEON)

#define LOGREG__NEON_W 4
#define LOGREG__NEON_INLINE LOGREG__TARGET_NEON LOGREG__INLINE

#if defined(LOGREG__NEON32) /* ARMv7 lacks four AArch64 instructions: */
LOGREG__NEON_INLINE uint32_t logreg__neon_maxv(uint32x4_t v) {
    uint32x2_t m = vpmax_u32(vget_low_u32(v), vget_high_u32(v));
    return vget_lane_u32(vpmax_u32(m, m), 0);
}
LOGREG__NEON_INLINE float32x4_t logreg__neon_padd(float32x4_t a, float32x4_t b) {
    return vcombine_f32(vpadd_f32(vget_low_f32(a), vget_high_f32(a)), vpadd_f32(vget_low_f32(b), vget_high_f32(b)));
}
LOGREG__NEON_INLINE uint8x16_t logreg__neon_tbl2(uint8x16x2_t t, uint8x16_t i) {
    const uint8x8x4_t q = {{vget_low_u8(t.val[0]), vget_high_u8(t.val[0]), vget_low_u8(t.val[1]), vget_high_u8(t.val[1])}};
    return vcombine_u8(vtbl4_u8(q, vget_low_u8(i)), vtbl4_u8(q, vget_high_u8(i)));
}
/* a/b for b in [1, 4] (the kernels' divisors): 1/b from the estimate and two Newton steps, q =
   a (1/b), then q + (a - b q)/b, which rounds correctly unless a - b q is below FLT_MIN and
   flushed (|a| below about 2^-100, where q stays within 3 ULP) */
LOGREG__NEON_INLINE float32x4_t logreg__neon_div(float32x4_t a, float32x4_t b) {
    float32x4_t r = vrecpeq_f32(b), q;
    r = vmulq_f32(r, vrecpsq_f32(b, r));
    r = vmulq_f32(r, vrecpsq_f32(b, r));
    q = vmulq_f32(a, r);
    return vfmaq_f32(q, vfmsq_f32(a, b, q), r);
}
#else
#define logreg__neon_maxv vmaxvq_u32
#define logreg__neon_padd vpaddq_f32
#define logreg__neon_tbl2 vqtbl2q_u8
#define logreg__neon_div vdivq_f32
#endif

LOGREG__NEON_INLINE float32x4_t logreg__neon_load(const float *p, size_t k) { /* the first min(k, 4) lanes */
    float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (k >= 4) return vld1q_f32(p);
    memcpy(t, p, k * sizeof(float));
    return vld1q_f32(t);
}
LOGREG__NEON_INLINE void logreg__neon_store(float *p, size_t k, float32x4_t v) {
    float t[4];
    if (k >= 4) {
        vst1q_f32(p, v);
        return;
    }
    vst1q_f32(t, v);
    memcpy(p, t, k * sizeof(float));
}
LOGREG__NEON_INLINE void logreg__neon_load4(const float *p, size_t k, float32x4_t v[4]) { /* the first min(k, 16) floats */
    LOGREG__EACH4(v[j] = k > j * LOGREG__NEON_W ? logreg__neon_load(p + j * LOGREG__NEON_W, k - j * LOGREG__NEON_W) : vdupq_n_f32(0.0f));
}
LOGREG__NEON_INLINE void logreg__neon_store4(float *p, size_t k, const float32x4_t v[4]) {
    LOGREG__EACH4(if (k > j * LOGREG__NEON_W) logreg__neon_store(p + j * LOGREG__NEON_W, k - j * LOGREG__NEON_W, v[j]));
}
/* b in lane 0, zeros elsewhere: the dot products start from it (why: common.h, "b in lane 0") */
LOGREG__NEON_INLINE float32x4_t logreg__neon_lane0(float b) { return vsetq_lane_f32(b, vdupq_n_f32(0.0f), 0); }
LOGREG__NEON_INLINE uint32_t logreg__neon_nonfinite(float32x4_t v) { /* NaN or ±Inf: v - v is NaN */
    return logreg__neon_maxv(vmvnq_u32(vceqq_f32(vsubq_f32(v, v), vdupq_n_f32(0.0f))));
}
/* Lanes not in [0, x] for the positive float x with bits top, or NaN; by the bits (see
   logreg__label_flags): above top as unsigned, and not -0. */
LOGREG__NEON_INLINE uint32_t logreg__neon_outside(float32x4_t v, uint32_t top) {
    uint32x4_t u = vreinterpretq_u32_f32(v);
    return logreg__neon_maxv(vandq_u32(vcgtq_u32(u, vdupq_n_u32(top)), vtstq_u32(u, vdupq_n_u32(0x7fffffffu))));
}

/* T_k = 2^(k/8) rounded to float less k << 20, and T_k's relative error d_k, as bits (see
   common.h): the bits of f shifted left by 20 add back k << 20 and floor(n) to the exponent. */
static const uint32_t logreg__neon_exp2_t[8] = {
    0x3f800000, 0x3f7b95c2, 0x3f7837f0, 0x3f75fed7, 0x3f7504f3, 0x3f75672a, 0x3f7744fd, 0x3f7ac0c7};
static const uint32_t logreg__neon_exp2_d[8] = {
    0x00000000, 0xb24e0611, 0x33092801, 0xb3051aa8, 0x329302ae, 0x31b3d0e5, 0xb27ce182, 0xb1d290be};

/* e^-t for four vectors of t in [-SIG_TMAX, SIG_TMAX - 1] (2^floor(n) needs floor(n) >= -126),
   in place */
LOGREG__NEON_INLINE void logreg__neon_exp_neg4(float32x4_t t[4]) {
    const float32x4_t magic = vdupq_n_f32(LOGREG__ROUND_MAGIC8);
    const uint8x16x2_t tt = {{vreinterpretq_u8_u32(vld1q_u32(logreg__neon_exp2_t)), vreinterpretq_u8_u32(vld1q_u32(logreg__neon_exp2_t + 4))}};
    const uint8x16x2_t td = {{vreinterpretq_u8_u32(vld1q_u32(logreg__neon_exp2_d)), vreinterpretq_u8_u32(vld1q_u32(logreg__neon_exp2_d + 4))}};
    float32x4_t f[4], n[4], tk[4], dk[4], s[4], p[4];
    uint8x16_t b[4];
    LOGREG__EACH4(f[j] = vfmaq_f32(magic, t[j], vdupq_n_f32(-LOGREG__LOG2E)));
    LOGREG__EACH4(n[j] = vsubq_f32(f[j], magic));
    /* tbl takes the bytes 4 (8 n mod 8) + 0..3 */
    LOGREG__EACH4(b[j] = vreinterpretq_u8_u32(vmlaq_u32(vdupq_n_u32(0x03020100), vandq_u32(vreinterpretq_u32_f32(f[j]), vdupq_n_u32(7)),
                                                        vdupq_n_u32(0x04040404))));
    LOGREG__EACH4(tk[j] = vreinterpretq_f32_u32(vaddq_u32(vreinterpretq_u32_u8(logreg__neon_tbl2(tt, b[j])),
                                                          vshlq_n_u32(vreinterpretq_u32_f32(f[j]), 20))));
    LOGREG__EACH4(dk[j] = vreinterpretq_f32_u8(logreg__neon_tbl2(td, b[j])));
    LOGREG__EACH4(s[j] = vfmaq_f32(t[j], n[j], vdupq_n_f32(LOGREG__LN2F)));
    LOGREG__EACH4(dk[j] = vfmsq_f32(dk[j], n[j], vdupq_n_f32(LOGREG__LN2_ERR)));
    LOGREG__EACH4(p[j] = vfmaq_f32(vdupq_n_f32(LOGREG__EXP8_H1), vdupq_n_f32(LOGREG__EXP8_H2), s[j]));
    LOGREG__EACH4(p[j] = vfmaq_f32(vdupq_n_f32(0.5f), p[j], s[j]));
    LOGREG__EACH4(p[j] = vfmaq_f32(vdupq_n_f32(-1.0f), p[j], s[j]));
    LOGREG__EACH4(p[j] = vfmaq_f32(dk[j], p[j], s[j]));
    LOGREG__EACH4(t[j] = vfmaq_f32(tk[j], p[j], tk[j]));
}

/* e^-|z|, |z| clamped to SIG_TMAX - 1 (see common.h), for the residuals and the loss: exp_neg4 on four
   copies, which GCC computes once (those kernels have too many values live for four side by side) */
LOGREG__NEON_INLINE float32x4_t logreg__neon_exp_nabs(float32x4_t z) {
    float32x4_t v[4];
    LOGREG__EACH4(v[j] = vminq_f32(vdupq_n_f32(LOGREG__SIG_TMAX - 1.0f), vabsq_f32(z)));
    logreg__neon_exp_neg4(v);
    return v[0];
}

/* num/(1+e) rounded once: the quotient q, then one correction by the residual
   num - (1+e) q, which is exact (both subtractions are), so the rounding of 1+e never shows. */
LOGREG__NEON_INLINE float32x4_t logreg__neon_ratio(float32x4_t num, float32x4_t e) {
    float32x4_t d = vaddq_f32(vdupq_n_f32(1.0f), e);
    float32x4_t q = logreg__neon_div(num, d);
    return vfmaq_f32(q, vfmsq_f32(vsubq_f32(num, q), e, q), vrecpeq_f32(d));
}

/* σ(z) = 1/(1+e), e = e^-z (see common.h), for four vectors in place; frecpe gives 8 bits, so
   σ = y (1 + ρ + ρ² + ρ³). fmax and fmin return NaN when either operand is NaN, so a NaN z stays
   NaN. */
LOGREG__NEON_INLINE void logreg__neon_sigmoid4(float32x4_t v[4]) {
    float32x4_t e[4], y[4], r[4];
    LOGREG__EACH4(e[j] = vminq_f32(vdupq_n_f32(LOGREG__SIG_TMAX - 1.0f), vmaxq_f32(vdupq_n_f32(-LOGREG__SIG_TMAX), v[j])));
    logreg__neon_exp_neg4(e);
    LOGREG__EACH4(y[j] = vrecpeq_f32(vaddq_f32(vdupq_n_f32(1.0f), e[j])));
    LOGREG__EACH4(r[j] = vsubq_f32(vfmsq_f32(vdupq_n_f32(1.0f), e[j], y[j]), y[j]));
    LOGREG__EACH4(v[j] = vfmaq_f32(y[j], vfmaq_f32(r[j], vfmaq_f32(r[j], r[j], r[j]), r[j]), y[j]));
}

/* σ(z) - y through s = σ(-|z|) = e/(1+e): s - y or (1-y) - s, no cancellation when σ ≈ y. */
LOGREG__NEON_INLINE float32x4_t logreg__neon_residual_e(float32x4_t z, float32x4_t e, float32x4_t y) {
    float32x4_t s = logreg__neon_ratio(e, e);
    uint32x4_t neg = vcltq_f32(z, vdupq_n_f32(0.0f));
    return vbslq_f32(neg, vsubq_f32(s, y), vsubq_f32(vsubq_f32(vdupq_n_f32(1.0f), y), s));
}

/* ln(1 + e) for e in [0, 1] (see common.h). */
LOGREG__NEON_INLINE float32x4_t logreg__neon_log1p(float32x4_t e) {
    uint32x4_t big = vcgtq_f32(e, vdupq_n_f32(LOGREG__SQRT2_M1));
    float32x4_t k = vreinterpretq_f32_u32(vandq_u32(big, vreinterpretq_u32_f32(vdupq_n_f32(1.0f))));
    float32x4_t s = logreg__neon_div(vsubq_f32(e, k), vaddq_f32(e, vaddq_f32(k, vdupq_n_f32(2.0f))));
    float32x4_t s2 = vmulq_f32(s, s);
    float32x4_t q = vfmaq_f32(vdupq_n_f32(LOGREG__LOG_C7), vdupq_n_f32(LOGREG__LOG_C9), s2);
    float32x4_t l;
    q = vfmaq_f32(vdupq_n_f32(LOGREG__LOG_C5), q, s2);
    q = vfmaq_f32(vdupq_n_f32(LOGREG__LOG_C3), q, s2);
    l = vfmaq_f32(vaddq_f32(s, s), vmulq_f32(q, s2), s);
    return vaddq_f32(l, vreinterpretq_f32_u32(vandq_u32(big, vreinterpretq_u32_f32(vdupq_n_f32(LOGREG__LN2)))));
}

/* The sums of four rows' accumulators, in lanes 0..3. */
LOGREG__NEON_INLINE float32x4_t logreg__neon_hsum4(float32x4_t a0, float32x4_t a1, float32x4_t a2, float32x4_t a3) {
    return logreg__neon_padd(logreg__neon_padd(a0, a1), logreg__neon_padd(a2, a3));
}
LOGREG__NEON_INLINE float logreg__neon_hsum(float32x4_t a) {
    return vgetq_lane_f32(logreg__neon_hsum4(a, a, a, a), 0);
}

LOGREG__TARGET_NEON static void logreg__neon_sigmoid(const float *z, float *a, size_t n) {
    const size_t W = LOGREG__NEON_W;
    size_t i;
    float32x4_t v[4];
    LOGREG__FTZ_BEGIN
    for (i = 0; i + 4 * W <= n; i += 4 * W) {
        LOGREG__EACH4(v[j] = vld1q_f32(z + i + j * W));
        logreg__neon_sigmoid4(v);
        LOGREG__EACH4(vst1q_f32(a + i + j * W, v[j]));
    }
    if (i < n) {
        logreg__neon_load4(z + i, n - i, v);
        logreg__neon_sigmoid4(v);
        logreg__neon_store4(a + i, n - i, v);
    }
    LOGREG__FTZ_END
}

/* z[i] = w·x_i + b. Four rows share each load of w; each row sums in two accumulators and the
   same reduction tree, so a row's z depends only on m, never on its neighbours or alignment.
   (Rows past n repeat row i; their sums are not stored.) next, if not 0, is the block after
   this one (same ld), prefetched into L2 line by line as this block's rows are read. */
LOGREG__NEON_INLINE void logreg__neon_dots(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                           uintptr_t next) {
    size_t i, j, rows;
    for (i = 0; i < n; i += rows) {
        const float *x0 = X + i * ld, *x1, *x2, *x3;
        float32x4_t a0 = logreg__neon_lane0(b), a1 = a0, a2 = a0, a3 = a0, c0 = vdupq_n_f32(0.0f), c1 = c0, c2 = c0, c3 = c0;
        float32x4_t s;
        rows = n - i < 4 ? n - i : 4;
        x1 = rows > 1 ? x0 + ld : x0, x2 = rows > 2 ? x0 + 2 * ld : x0, x3 = rows > 3 ? x0 + 3 * ld : x0;
        for (j = 0; j + 2 * LOGREG__NEON_W <= m; j += 2 * LOGREG__NEON_W) {
            float32x4_t w0 = vld1q_f32(w + j), w1 = vld1q_f32(w + j + LOGREG__NEON_W);
            if (next && j * sizeof(float) % 64 == 0) logreg__prefetch4(next + sizeof(float) * (i * ld + j), ld);
            a0 = vfmaq_f32(a0, vld1q_f32(x0 + j), w0), c0 = vfmaq_f32(c0, vld1q_f32(x0 + j + LOGREG__NEON_W), w1);
            a1 = vfmaq_f32(a1, vld1q_f32(x1 + j), w0), c1 = vfmaq_f32(c1, vld1q_f32(x1 + j + LOGREG__NEON_W), w1);
            a2 = vfmaq_f32(a2, vld1q_f32(x2 + j), w0), c2 = vfmaq_f32(c2, vld1q_f32(x2 + j + LOGREG__NEON_W), w1);
            a3 = vfmaq_f32(a3, vld1q_f32(x3 + j), w0), c3 = vfmaq_f32(c3, vld1q_f32(x3 + j + LOGREG__NEON_W), w1);
        }
        for (; j + LOGREG__NEON_W <= m; j += LOGREG__NEON_W) {
            float32x4_t w0 = vld1q_f32(w + j);
            a0 = vfmaq_f32(a0, vld1q_f32(x0 + j), w0);
            a1 = vfmaq_f32(a1, vld1q_f32(x1 + j), w0);
            a2 = vfmaq_f32(a2, vld1q_f32(x2 + j), w0);
            a3 = vfmaq_f32(a3, vld1q_f32(x3 + j), w0);
        }
        if (j < m) {
            float32x4_t w0 = logreg__neon_load(w + j, m - j);
            a0 = vfmaq_f32(a0, logreg__neon_load(x0 + j, m - j), w0);
            a1 = vfmaq_f32(a1, logreg__neon_load(x1 + j, m - j), w0);
            a2 = vfmaq_f32(a2, logreg__neon_load(x2 + j, m - j), w0);
            a3 = vfmaq_f32(a3, logreg__neon_load(x3 + j, m - j), w0);
        }
        s = logreg__neon_hsum4(vaddq_f32(a0, c0), vaddq_f32(a1, c1), vaddq_f32(a2, c2), vaddq_f32(a3, c3));
        logreg__neon_store(z + i, rows, s);
    }
}

/* One vector (k lanes) of z, e = e^-|z|, y, sw -> r = sw (σ(z) - y); adds Σ sw·BCE, Σ r, Σ sw to
   v[0..2] (Σ sw only when weighted) and ORs the lanes with bad z, y, sw into bad[0..2]. */
LOGREG__NEON_INLINE float32x4_t logreg__neon_lr1(float32x4_t zv, float32x4_t e, float32x4_t yv, float32x4_t wv, size_t k,
                                                 int want_loss, int weighted, float32x4_t v[3], uint32_t bad[3]) {
    static const float ones[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    const int scale = weighted || k < LOGREG__NEON_W; /* wv is not all ones */
    float32x4_t rv = logreg__neon_residual_e(zv, e, yv);
    if (!weighted && k < LOGREG__NEON_W) wv = logreg__neon_load(ones, k);
    if (scale) rv = vmulq_f32(rv, wv);
    bad[0] |= logreg__neon_nonfinite(zv);
    bad[1] |= logreg__neon_outside(yv, LOGREG__ONE_BITS);
    if (weighted) {
        bad[2] |= logreg__neon_outside(wv, LOGREG__MAX_BITS);
        v[2] = vaddq_f32(v[2], wv);
    }
    if (want_loss) { /* ln(1+e^-|z|) + |z| (z < 0 ? y : 1-y): no cancellation */
        float32x4_t c = vbslq_f32(vcltq_f32(zv, vdupq_n_f32(0.0f)), yv, vsubq_f32(vdupq_n_f32(1.0f), yv));
        float32x4_t l = vfmaq_f32(logreg__neon_log1p(e), vabsq_f32(zv), c);
        v[0] = scale ? vfmaq_f32(v[0], l, wv) : vaddq_f32(v[0], l);
    }
    v[1] = vaddq_f32(v[1], rv);
    return rv;
}
/* The first k floats (at most four vectors) of z, y, sw -> r in place: all loads before the first
   store (4K aliasing, see logreg__avx512_sigmoid), the four exponentials before the four residuals
   (0.8x the time of one vector's steps after another's, in cache on an AMD EPYC); the sums of
   even vectors go to v[0..2], of odd ones to v[3..5]. */
LOGREG__NEON_INLINE void logreg__neon_lr4(float *z, const float *y, const float *sw, size_t k,
                                          int want_loss, int weighted, float32x4_t v[6], uint32_t bad[3]) {
    const size_t W = LOGREG__NEON_W;
    float32x4_t zv[4], yv[4], wv[4], e[4];
    logreg__neon_load4(z, k, zv);
    logreg__neon_load4(y, k, yv);
    if (weighted) logreg__neon_load4(sw, k, wv);
    else LOGREG__EACH4(wv[j] = vdupq_n_f32(0.0f));
    LOGREG__EACH4(e[j] = k > j * W ? logreg__neon_exp_nabs(zv[j]) : vdupq_n_f32(0.0f));
    LOGREG__EACH4(if (k > j * W) zv[j] = logreg__neon_lr1(zv[j], e[j], yv[j], wv[j], k - j * W,
                                           want_loss, weighted, v + 3 * (j & 1), bad));
    logreg__neon_store4(z, k, zv);
}
LOGREG__NEON_INLINE void logreg__neon_lr_rows(float *z, const float *y, const float *sw, size_t n,
                                              int want_loss, int weighted, float32x4_t v[6], uint32_t bad[3]) {
    const size_t W4 = 4 * LOGREG__NEON_W;
    size_t i;
    for (i = 0; i + W4 <= n; i += W4) logreg__neon_lr4(z + i, y + i, weighted ? sw + i : sw, W4, want_loss, weighted, v, bad);
    if (i < n) logreg__neon_lr4(z + i, y + i, weighted ? sw + i : sw, n - i, want_loss, weighted, v, bad);
}
/* z -> r = sw (σ(z) - y) in place; adds Σ sw·BCE, Σ r, Σ sw to s (want_loss == 0 leaves s[0]). */
LOGREG__NEON_INLINE unsigned logreg__neon_loss_residual(float *z, const float *y, const float *sw, size_t n,
                                                        int want_loss, double s[3]) {
    float32x4_t v[6];
    uint32_t bad[3] = {0, 0, 0};
    LOGREG__EACH4(v[j] = v[j + 2] = vdupq_n_f32(0.0f));
    if (sw && want_loss) logreg__neon_lr_rows(z, y, sw, n, 1, 1, v, bad);
    else if (sw) logreg__neon_lr_rows(z, y, sw, n, 0, 1, v, bad);
    else if (want_loss) logreg__neon_lr_rows(z, y, sw, n, 1, 0, v, bad);
    else logreg__neon_lr_rows(z, y, sw, n, 0, 0, v, bad);
    if (want_loss) s[0] += logreg__neon_hsum(vaddq_f32(v[0], v[3]));
    s[1] += logreg__neon_hsum(vaddq_f32(v[1], v[4]));
    s[2] += sw ? (double)logreg__neon_hsum(vaddq_f32(v[2], v[5])) : (double)n;
    return (bad[0] ? LOGREG__BAD_Z : 0u) | (bad[1] ? logreg__label_block_flags(y, n) : 0u) |
           (bad[2] ? logreg__weight_block_flags(sw, n) : 0u);
}

LOGREG__TARGET_NEON static unsigned logreg__neon_residual(const float *X, size_t n, size_t m, size_t ld, const float *w, float b,
                                                          const float *y, float *r) {
    double s[3] = {0.0, 0.0, 0.0};
    unsigned bad;
    LOGREG__FTZ_BEGIN
    logreg__neon_dots(X, n, m, ld, w, b, r, logreg__ahead(X, n, ld));
    bad = logreg__neon_loss_residual(r, y, NULL, n, 0, s);
    LOGREG__FTZ_END
    return bad;
}

/* acc[j] += Σ r_i x_ij for rows of at most 2 vectors: the sums stay in registers for the
   whole block, one chain per row mod 4, so rows do not wait on each other's FMA latency.
   next, if not 0, is the block after this one, prefetched into L2 four rows at a time. */
LOGREG__NEON_INLINE void logreg__neon_axpy_narrow(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                                  uintptr_t next) {
    float32x4_t g0 = vdupq_n_f32(0.0f), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
    size_t i, k = m < LOGREG__NEON_W ? m : LOGREG__NEON_W, k2 = m - k; /* lanes in the first and second vector */
    for (i = 0; i + 4 <= n; i += 4) {
        const float *x = X + i * ld;
        if (next) {
            logreg__prefetch4(next + sizeof(float) * i * ld, ld);
            if (k2) logreg__prefetch4(next + sizeof(float) * (i * ld + k), ld);
        }
        float32x4_t r0 = vdupq_n_f32(r[i]), r1 = vdupq_n_f32(r[i + 1]), r2 = vdupq_n_f32(r[i + 2]), r3 = vdupq_n_f32(r[i + 3]);
        g0 = vfmaq_f32(g0, r0, logreg__neon_load(x, k)), g1 = vfmaq_f32(g1, r1, logreg__neon_load(x + ld, k));
        g2 = vfmaq_f32(g2, r2, logreg__neon_load(x + 2 * ld, k)), g3 = vfmaq_f32(g3, r3, logreg__neon_load(x + 3 * ld, k));
        if (k2) {
            h0 = vfmaq_f32(h0, r0, logreg__neon_load(x + k, k2)), h1 = vfmaq_f32(h1, r1, logreg__neon_load(x + ld + k, k2));
            h2 = vfmaq_f32(h2, r2, logreg__neon_load(x + 2 * ld + k, k2)), h3 = vfmaq_f32(h3, r3, logreg__neon_load(x + 3 * ld + k, k2));
        }
    }
    for (; i < n; i++) {
        g0 = vfmaq_f32(g0, vdupq_n_f32(r[i]), logreg__neon_load(X + i * ld, k));
        if (k2) h0 = vfmaq_f32(h0, vdupq_n_f32(r[i]), logreg__neon_load(X + i * ld + k, k2));
    }
    logreg__neon_store(acc, k, vaddq_f32(logreg__neon_load(acc, k), vaddq_f32(vaddq_f32(g0, g1), vaddq_f32(g2, g3))));
    if (k2) logreg__neon_store(acc + k, k2, vaddq_f32(logreg__neon_load(acc + k, k2), vaddq_f32(vaddq_f32(h0, h1), vaddq_f32(h2, h3))));
}

/* acc[j] += Σ r_i x_ij, rows in order (so the sums round as in the plain loop): eight vectors
   of acc stay in registers while up to sixteen rows are added. next, if not 0, is the address of
   the block that comes after this one (same ld): its lines are prefetched into L2 as this block's
   are read, so memory keeps streaming while this block is worked on from cache. Chunks go in
   the order logreg__chunk0 gives (from the end for wide rows). */
LOGREG__NEON_INLINE void logreg__neon_axpy_rows(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                                uintptr_t next) {
    const size_t W = LOGREG__NEON_W, c = 8 * W, nc = m / c;
    const size_t j0 = logreg__chunk0(m, c), step = logreg__chunk_step(m, c);
    size_t i0, i, j, t, rows;
    for (i0 = 0; i0 < n; i0 += rows) {
        rows = n - i0 < 16 ? n - i0 : 16;
        for (t = 0, j = j0; t < nc; t++, j += step) {
            float *a = acc + j;
            float32x4_t g0 = vld1q_f32(a), g1 = vld1q_f32(a + W), g2 = vld1q_f32(a + 2 * W), g3 = vld1q_f32(a + 3 * W);
            float32x4_t g4 = vld1q_f32(a + 4 * W), g5 = vld1q_f32(a + 5 * W), g6 = vld1q_f32(a + 6 * W), g7 = vld1q_f32(a + 7 * W);
            for (i = i0; i < i0 + rows; i++) {
                const float *x = X + i * ld + j;
                const float32x4_t ri = vdupq_n_f32(r[i]);
                if (next) logreg__prefetch_span(next + sizeof(float) * (i * ld + j), 8 * W * sizeof(float));
                g0 = vfmaq_f32(g0, ri, vld1q_f32(x)), g1 = vfmaq_f32(g1, ri, vld1q_f32(x + W));
                g2 = vfmaq_f32(g2, ri, vld1q_f32(x + 2 * W)), g3 = vfmaq_f32(g3, ri, vld1q_f32(x + 3 * W));
                g4 = vfmaq_f32(g4, ri, vld1q_f32(x + 4 * W)), g5 = vfmaq_f32(g5, ri, vld1q_f32(x + 5 * W));
                g6 = vfmaq_f32(g6, ri, vld1q_f32(x + 6 * W)), g7 = vfmaq_f32(g7, ri, vld1q_f32(x + 7 * W));
            }
            vst1q_f32(a, g0), vst1q_f32(a + W, g1), vst1q_f32(a + 2 * W, g2), vst1q_f32(a + 3 * W, g3);
            vst1q_f32(a + 4 * W, g4), vst1q_f32(a + 5 * W, g5), vst1q_f32(a + 6 * W, g6), vst1q_f32(a + 7 * W, g7);
        }
        for (j = nc * c; j < m; j += W) { /* the last few vectors, one at a time (one prefetch per 64 bytes) */
            float32x4_t g = logreg__neon_load(acc + j, m - j);
            for (i = i0; i < i0 + rows; i++) {
                if (next && j * sizeof(float) % 64 == 0) LOGREG__PREFETCH_L2((const char *)(next + sizeof(float) * (i * ld + j)));
                g = vfmaq_f32(g, vdupq_n_f32(r[i]), logreg__neon_load(X + i * ld + j, m - j));
            }
            logreg__neon_store(acc + j, m - j, g);
        }
    }
}

LOGREG__TARGET_NEON static void logreg__neon_grad_accumulate(const float *X, size_t n, size_t m, size_t ld, const float *r,
                                                             float *acc) {
    LOGREG__FTZ_BEGIN
    if (m <= 2 * LOGREG__NEON_W) logreg__neon_axpy_narrow(X, n, m, ld, r, acc, 0);
    else logreg__neon_axpy_rows(X, n, m, ld, r, acc, 0);
    LOGREG__FTZ_END
}

LOGREG__TARGET_NEON static unsigned logreg__neon_loss_grad(const float *X, size_t n, size_t m, size_t ld, const float *y,
                                                           const float *sw, const float *w, float b, int want_loss, float *acc,
                                                           double s[3], const float *next) {
    float z[LOGREG__BLOCK_MAX];
    unsigned bad;
    LOGREG__FTZ_BEGIN
    LOGREG_ASSERT(n <= LOGREG__BLOCK_MAX);
    logreg__neon_dots(X, n, m, ld, w, b, z, (uintptr_t)next);
    bad = logreg__neon_loss_residual(z, y, sw, n, want_loss, s);
    if (m <= 2 * LOGREG__NEON_W) logreg__neon_axpy_narrow(X, n, m, ld, z, acc, (uintptr_t)next);
    else logreg__neon_axpy_rows(X, n, m, ld, z, acc, (uintptr_t)next);
    LOGREG__FTZ_END
    return bad;
}

LOGREG__TARGET_NEON static unsigned logreg__neon_predict_proba(const float *X, size_t n, size_t m, size_t ld, const float *w, float b,
                                                               float *p) {
    uint32_t badz = 0;
    size_t i;
    float32x4_t v[4];
    LOGREG__FTZ_BEGIN
    logreg__neon_dots(X, n, m, ld, w, b, p, logreg__ahead(X, n, ld));
    for (i = 0; i < n; i += 4 * LOGREG__NEON_W) {
        logreg__neon_load4(p + i, n - i, v);
        LOGREG__EACH4(badz |= logreg__neon_nonfinite(v[j]));
        logreg__neon_sigmoid4(v);
        logreg__neon_store4(p + i, n - i, v);
    }
    LOGREG__FTZ_END
    return badz ? LOGREG__BAD_Z : 0u;
}

static const logreg__kernels logreg__neon_kernels = {
    LOGREG_ISA_NEON,
    logreg__neon_sigmoid,
    logreg__neon_residual,
    logreg__neon_grad_accumulate,
    logreg__neon_loss_grad,
    logreg__neon_predict_proba,
};

#endif /* LOGREG__NEON */
