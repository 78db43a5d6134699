/* AVX2 + FMA kernels: 8 floats per vector, tails by masked load/store. Same functions, same
   order, same names as avx512.h and neon.h; only the instruction set differs, plus one addition
   (as avx512.h's dots16): rows of at most two vectors are summed eight at a time (dots8). */
#include "scalar.h"
#if defined(LOGREG__X86)

#define LOGREG__AVX2 LOGREG__TARGET_AVX2 static inline
#define LOGREG__AVX2_W 8

LOGREG__AVX2 __m256i logreg__avx2_mask(size_t k) { /* the first min(k, 8) lanes */
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(k >= 8 ? 8 : (int)k), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/* The first min(k, 8) floats at p; a whole vector by a plain load or store (vmaskmovps is slow
   on an AMD EPYC: G2's AVX2 pass 1.15x faster without it). */
LOGREG__AVX2 __m256 logreg__avx2_load(const float *p, size_t k) {
    return k >= LOGREG__AVX2_W ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, logreg__avx2_mask(k));
}
LOGREG__AVX2 void logreg__avx2_store(float *p, size_t k, __m256 v) {
    if (k >= LOGREG__AVX2_W) _mm256_storeu_ps(p, v);
    else _mm256_maskstore_ps(p, logreg__avx2_mask(k), v);
}
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_load4(const float *p, size_t k, __m256 v[4]) { /* the first min(k, 32) floats */
    LOGREG__EACH4(v[j] = k > j * LOGREG__AVX2_W ? logreg__avx2_load(p + j * LOGREG__AVX2_W, k - j * LOGREG__AVX2_W) : _mm256_setzero_ps());
}
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_store4(float *p, size_t k, const __m256 v[4]) {
    LOGREG__EACH4(if (k > j * LOGREG__AVX2_W) logreg__avx2_store(p + j * LOGREG__AVX2_W, k - j * LOGREG__AVX2_W, v[j]));
}
/* b in lane 0, zeros elsewhere: the dot products start from it (why: common.h, "b in lane 0") */
LOGREG__AVX2 __m256 logreg__avx2_lane0(float b) { return _mm256_setr_ps(b, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f); }
LOGREG__AVX2 int logreg__avx2_nonfinite(__m256 v) { /* NaN or ±Inf: v - v is NaN */
    return _mm256_movemask_ps(_mm256_cmp_ps(_mm256_sub_ps(v, v), _mm256_setzero_ps(), _CMP_NEQ_UQ));
}
/* Lanes not in [0, x] for the positive float x with bits top, or NaN; by the bits (see
   logreg__label_flags): above top as signed integers, or negative and not -0 (u & (u - 1) keeps
   the sign bit for those only). */
LOGREG__AVX2 int logreg__avx2_outside(__m256 v, uint32_t top) {
    __m256i u = _mm256_castps_si256(v);
    __m256i neg = _mm256_and_si256(u, _mm256_sub_epi32(u, _mm256_set1_epi32(1)));
    return _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_or_si256(_mm256_cmpgt_epi32(u, _mm256_set1_epi32((int)top)), neg)));
}

/* T_k = 2^(k/8) rounded to float less k << 20, and T_k's relative error d_k, as bits (see
   common.h): the bits of f shifted left by 20 add back k << 20 and floor(n) to the exponent. */
static const uint32_t logreg__avx2_exp2_t[8] = {
    0x3f800000, 0x3f7b95c2, 0x3f7837f0, 0x3f75fed7, 0x3f7504f3, 0x3f75672a, 0x3f7744fd, 0x3f7ac0c7};
static const uint32_t logreg__avx2_exp2_d[8] = {
    0x00000000, 0xb24e0611, 0x33092801, 0xb3051aa8, 0x329302ae, 0x31b3d0e5, 0xb27ce182, 0xb1d290be};

/* e^-t for four vectors of t in [-SIG_TMAX, SIG_TMAX - 1] (2^floor(n) needs floor(n) >= -126),
   in place */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_exp_neg4(__m256 t[4]) {
    const __m256 magic = _mm256_set1_ps(LOGREG__ROUND_MAGIC8);
    const __m256i tt = _mm256_loadu_si256((const __m256i *)logreg__avx2_exp2_t);
    const __m256 td = _mm256_castsi256_ps(_mm256_loadu_si256((const __m256i *)logreg__avx2_exp2_d));
    __m256 f[4], n[4], tk[4], dk[4], s[4], p[4];
    LOGREG__EACH4(f[j] = _mm256_fmadd_ps(t[j], _mm256_set1_ps(-LOGREG__LOG2E), magic));
    LOGREG__EACH4(n[j] = _mm256_sub_ps(f[j], magic));
    /* vpermps reads the low 3 bits of f: 8 n mod 8 */
    LOGREG__EACH4(tk[j] = _mm256_castsi256_ps(_mm256_add_epi32(_mm256_permutevar8x32_epi32(tt, _mm256_castps_si256(f[j])),
                                                              _mm256_slli_epi32(_mm256_castps_si256(f[j]), 20))));
    LOGREG__EACH4(dk[j] = _mm256_permutevar8x32_ps(td, _mm256_castps_si256(f[j])));
    LOGREG__EACH4(s[j] = _mm256_fmadd_ps(n[j], _mm256_set1_ps(LOGREG__LN2F), t[j]));
    LOGREG__EACH4(dk[j] = _mm256_fnmadd_ps(n[j], _mm256_set1_ps(LOGREG__LN2_ERR), dk[j]));
    LOGREG__EACH4(p[j] = _mm256_fmadd_ps(_mm256_set1_ps(LOGREG__EXP8_H2), s[j], _mm256_set1_ps(LOGREG__EXP8_H1)));
    LOGREG__EACH4(p[j] = _mm256_fmadd_ps(p[j], s[j], _mm256_set1_ps(0.5f)));
    LOGREG__EACH4(p[j] = _mm256_fmadd_ps(p[j], s[j], _mm256_set1_ps(-1.0f)));
    LOGREG__EACH4(p[j] = _mm256_fmadd_ps(p[j], s[j], dk[j]));
    LOGREG__EACH4(t[j] = _mm256_fmadd_ps(p[j], tk[j], tk[j]));
}

/* e^-|z|, |z| clamped to SIG_TMAX - 1 (see common.h), for the residuals and the loss: exp_neg4 on four
   copies, which GCC computes once (those kernels have too many values live for four side by side) */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE __m256 logreg__avx2_exp_nabs(__m256 z) {
    __m256 v[4];
    LOGREG__EACH4(v[j] = _mm256_min_ps(_mm256_set1_ps(LOGREG__SIG_TMAX - 1.0f), _mm256_andnot_ps(_mm256_set1_ps(-0.0f), z)));
    logreg__avx2_exp_neg4(v);
    return v[0];
}

/* num/(1+e) rounded once: the quotient q, then one correction by the residual
   num - (1+e) q, which is exact (both subtractions are), so the rounding of 1+e never shows. */
LOGREG__AVX2 __m256 logreg__avx2_ratio(__m256 num, __m256 e) {
    __m256 d = _mm256_add_ps(_mm256_set1_ps(1.0f), e);
    __m256 q = _mm256_div_ps(num, d);
    return _mm256_fmadd_ps(_mm256_fnmadd_ps(e, q, _mm256_sub_ps(num, q)), _mm256_rcp_ps(d), q);
}

/* σ(z) = 1/(1+e), e = e^-z (see common.h), for four vectors in place; rcpps gives 12 bits, so
   σ = y (1 + ρ + ρ²). max and min return their second operand when one is NaN, so a NaN z stays
   NaN. */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_sigmoid4(__m256 v[4]) {
    __m256 e[4], y[4], r[4];
    LOGREG__EACH4(e[j] = _mm256_min_ps(_mm256_set1_ps(LOGREG__SIG_TMAX - 1.0f), _mm256_max_ps(_mm256_set1_ps(-LOGREG__SIG_TMAX), v[j])));
    logreg__avx2_exp_neg4(e);
    LOGREG__EACH4(y[j] = _mm256_rcp_ps(_mm256_add_ps(_mm256_set1_ps(1.0f), e[j])));
    LOGREG__EACH4(r[j] = _mm256_sub_ps(_mm256_fnmadd_ps(e[j], y[j], _mm256_set1_ps(1.0f)), y[j]));
    LOGREG__EACH4(v[j] = _mm256_fmadd_ps(_mm256_fmadd_ps(r[j], r[j], r[j]), y[j], y[j]));
}

/* σ(z) - y through s = σ(-|z|) = e/(1+e): s - y or (1-y) - s, no cancellation when σ ≈ y. */
LOGREG__AVX2 __m256 logreg__avx2_residual_e(__m256 z, __m256 e, __m256 y) {
    __m256 s = logreg__avx2_ratio(e, e);
    return _mm256_blendv_ps(_mm256_sub_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), y), s), _mm256_sub_ps(s, y), z);
}

/* ln(1 + e) for e in [0, 1] (see common.h). */
LOGREG__AVX2 __m256 logreg__avx2_log1p(__m256 e) {
    __m256 big = _mm256_cmp_ps(e, _mm256_set1_ps(LOGREG__SQRT2_M1), _CMP_GT_OQ);
    __m256 k = _mm256_and_ps(big, _mm256_set1_ps(1.0f));
    __m256 s = _mm256_div_ps(_mm256_sub_ps(e, k), _mm256_add_ps(e, _mm256_add_ps(k, _mm256_set1_ps(2.0f))));
    __m256 s2 = _mm256_mul_ps(s, s);
    __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(LOGREG__LOG_C9), s2, _mm256_set1_ps(LOGREG__LOG_C7));
    __m256 l;
    q = _mm256_fmadd_ps(q, s2, _mm256_set1_ps(LOGREG__LOG_C5));
    q = _mm256_fmadd_ps(q, s2, _mm256_set1_ps(LOGREG__LOG_C3));
    l = _mm256_fmadd_ps(_mm256_mul_ps(q, s2), s, _mm256_add_ps(s, s));
    return _mm256_add_ps(l, _mm256_and_ps(big, _mm256_set1_ps(LOGREG__LN2)));
}

/* The sums of four rows' accumulators, in lanes 0..3. */
LOGREG__AVX2 __m128 logreg__avx2_hsum4(__m256 a0, __m256 a1, __m256 a2, __m256 a3) {
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}
LOGREG__AVX2 float logreg__avx2_hsum(__m256 a) {
    return _mm_cvtss_f32(logreg__avx2_hsum4(a, a, a, a));
}

LOGREG__TARGET_AVX2 static void logreg__avx2_sigmoid(const float *z, float *a, size_t n) {
    const size_t W = LOGREG__AVX2_W;
    size_t i;
    __m256 v[4];
    LOGREG__FTZ_BEGIN
    for (i = 0; i + 4 * W <= n; i += 4 * W) {
        LOGREG__EACH4(v[j] = _mm256_loadu_ps(z + i + j * W));
        logreg__avx2_sigmoid4(v);
        LOGREG__EACH4(_mm256_storeu_ps(a + i + j * W, v[j]));
    }
    if (i < n) {
        logreg__avx2_load4(z + i, n - i, v);
        logreg__avx2_sigmoid4(v);
        logreg__avx2_store4(a + i, n - i, v);
    }
    LOGREG__FTZ_END
}

/* b0 plus rows x, x + ld, ..., x + 7 ld times w (w0 on the first k lanes, w1 on the next k2),
   in row order: each row's products in one vector, then hsum4's hadd tree, whose last step adds
   the 128-bit halves of rows 0..3 and 4..7 at once. full (k == 8): plain loads. Against four rows
   at a time through dots' loop (a masked store each): 8,192 x 16 in cache 0.80x the time,
   1,000,000 x 16 0.92x (an AMD EPYC). */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE __m256 logreg__avx2_dots8(const float *x, size_t ld, size_t k, size_t k2, int full,
                                                             __m256 w0, __m256 w1, __m256 b0) {
    __m256 v[8], t0, t1;
#define LOGREG__ROW(r)                                                                             \
    v[r] = _mm256_fmadd_ps(full ? _mm256_loadu_ps(x + (r) * ld) : logreg__avx2_load(x + (r) * ld, k), w0, b0); \
    if (k2) v[r] = _mm256_add_ps(v[r], _mm256_mul_ps(logreg__avx2_load(x + (r) * ld + LOGREG__AVX2_W, k2), w1))
    LOGREG__EACH4(LOGREG__ROW(j));
    LOGREG__EACH4(LOGREG__ROW(j + 4));
#undef LOGREG__ROW
    t0 = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
    t1 = _mm256_hadd_ps(_mm256_hadd_ps(v[4], v[5]), _mm256_hadd_ps(v[6], v[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(t0, t1, 0x20), _mm256_permute2f128_ps(t0, t1, 0x31));
}
/* z[i] = w·x_i + b for rows of at most two vectors, eight at a time (dots8); the last n mod 8
   rows go through a zero-padded copy. next: as in dots. */
LOGREG__AVX2 void logreg__avx2_dots_narrow(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                           uintptr_t next) {
    const size_t W = LOGREG__AVX2_W, k = m < W ? m : W, k2 = m - k, n8 = n / 8 * 8;
    const __m256 w0 = logreg__avx2_load(w, k), w1 = k2 ? logreg__avx2_load(w + W, k2) : _mm256_setzero_ps();
    const __m256 b0 = logreg__avx2_lane0(b);
    size_t i, r;
    for (i = 0; i < n8; i += 8) {
        if (next) logreg__prefetch4(next + sizeof(float) * i * ld, ld), logreg__prefetch4(next + sizeof(float) * (i + 4) * ld, ld);
        _mm256_storeu_ps(z + i, k == W ? logreg__avx2_dots8(X + i * ld, ld, k, k2, 1, w0, w1, b0)
                                       : logreg__avx2_dots8(X + i * ld, ld, k, k2, 0, w0, w1, b0));
    }
    if (n8 < n) {
        float t[8 * 2 * LOGREG__AVX2_W];
        memset(t, 0, sizeof t);
        for (r = 0; n8 + r < n; r++) {
            _mm256_storeu_ps(t + r * 2 * W, logreg__avx2_load(X + (n8 + r) * ld, k));
            if (k2) _mm256_storeu_ps(t + r * 2 * W + W, logreg__avx2_load(X + (n8 + r) * ld + W, k2));
        }
        logreg__avx2_store(z + n8, n - n8, logreg__avx2_dots8(t, 2 * W, k, k2, 1, w0, w1, b0));
    }
}

/* z[i] = w·x_i + b. Four rows share each load of w; each row sums in two accumulators and the
   same reduction tree, so a row's z depends only on m, never on its neighbours or alignment.
   (Rows past n repeat row i; their sums are not stored.) next, if not 0, is the block after
   this one (same ld), prefetched into L2 line by line as this block's rows are read. */
LOGREG__AVX2 void logreg__avx2_dots(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                     uintptr_t next) {
    size_t i, j, rows;
    if (m <= 2 * LOGREG__AVX2_W) {
        logreg__avx2_dots_narrow(X, n, m, ld, w, b, z, next);
        return;
    }
    for (i = 0; i < n; i += rows) {
        const float *x0 = X + i * ld, *x1, *x2, *x3;
        __m256 a0 = logreg__avx2_lane0(b), a1 = a0, a2 = a0, a3 = a0, c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
        __m128 s;
        rows = n - i < 4 ? n - i : 4;
        x1 = rows > 1 ? x0 + ld : x0, x2 = rows > 2 ? x0 + 2 * ld : x0, x3 = rows > 3 ? x0 + 3 * ld : x0;
        for (j = 0; j + 2 * LOGREG__AVX2_W <= m; j += 2 * LOGREG__AVX2_W) {
            __m256 w0 = _mm256_loadu_ps(w + j), w1 = _mm256_loadu_ps(w + j + LOGREG__AVX2_W);
            if (next) logreg__prefetch4(next + sizeof(float) * (i * ld + j), ld); /* 64 bytes of each row */
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + j), w0, a0), c0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + j + LOGREG__AVX2_W), w1, c0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + j), w0, a1), c1 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + j + LOGREG__AVX2_W), w1, c1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(x2 + j), w0, a2), c2 = _mm256_fmadd_ps(_mm256_loadu_ps(x2 + j + LOGREG__AVX2_W), w1, c2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(x3 + j), w0, a3), c3 = _mm256_fmadd_ps(_mm256_loadu_ps(x3 + j + LOGREG__AVX2_W), w1, c3);
        }
        for (; j + LOGREG__AVX2_W <= m; j += LOGREG__AVX2_W) {
            __m256 w0 = _mm256_loadu_ps(w + j);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + j), w0, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + j), w0, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(x2 + j), w0, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(x3 + j), w0, a3);
        }
        if (j < m) {
            __m256 w0 = logreg__avx2_load(w + j, m - j);
            a0 = _mm256_fmadd_ps(logreg__avx2_load(x0 + j, m - j), w0, a0);
            a1 = _mm256_fmadd_ps(logreg__avx2_load(x1 + j, m - j), w0, a1);
            a2 = _mm256_fmadd_ps(logreg__avx2_load(x2 + j, m - j), w0, a2);
            a3 = _mm256_fmadd_ps(logreg__avx2_load(x3 + j, m - j), w0, a3);
        }
        s = logreg__avx2_hsum4(_mm256_add_ps(a0, c0), _mm256_add_ps(a1, c1), _mm256_add_ps(a2, c2), _mm256_add_ps(a3, c3));
        if (rows == 4) _mm_storeu_ps(z + i, s);
        else _mm_maskstore_ps(z + i, _mm256_castsi256_si128(logreg__avx2_mask(rows)), s);
    }
}

/* One vector (k lanes) of z, e = e^-|z|, y, sw -> r = sw (σ(z) - y); adds Σ sw·BCE, Σ r, Σ sw to
   v[0..2] (Σ sw only when weighted) and ORs the lanes with bad z, y, sw into bad[0..2]. */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE __m256 logreg__avx2_lr1(__m256 zv, __m256 e, __m256 yv, __m256 wv, size_t k,
                                                           int want_loss, int weighted, __m256 v[3], int bad[3]) {
    const int scale = weighted || k < LOGREG__AVX2_W; /* wv is not all ones */
    __m256 rv = logreg__avx2_residual_e(zv, e, yv);
    if (!weighted && k < LOGREG__AVX2_W) wv = _mm256_and_ps(_mm256_castsi256_ps(logreg__avx2_mask(k)), _mm256_set1_ps(1.0f));
    if (scale) rv = _mm256_mul_ps(rv, wv);
    bad[0] |= logreg__avx2_nonfinite(zv);
    bad[1] |= logreg__avx2_outside(yv, LOGREG__ONE_BITS);
    if (weighted) {
        bad[2] |= logreg__avx2_outside(wv, LOGREG__MAX_BITS);
        v[2] = _mm256_add_ps(v[2], wv);
    }
    if (want_loss) { /* ln(1+e^-|z|) + |z| (z < 0 ? y : 1-y): no cancellation */
        __m256 c = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), yv), yv, zv);
        __m256 l = _mm256_fmadd_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), zv), c, logreg__avx2_log1p(e));
        v[0] = scale ? _mm256_fmadd_ps(l, wv, v[0]) : _mm256_add_ps(v[0], l);
    }
    v[1] = _mm256_add_ps(v[1], rv);
    return rv;
}
/* The first k floats (at most four vectors) of z, y, sw -> r in place: all loads before the first
   store (4K aliasing, see logreg__avx512_sigmoid), the four exponentials before the four residuals
   (0.8x the time of one vector's steps after another's, in cache on an AMD EPYC); the sums of
   even vectors go to v[0..2], of odd ones to v[3..5]. */
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_lr4(float *z, const float *y, const float *sw, size_t k,
                                                         int want_loss, int weighted, __m256 v[6], int bad[3]) {
    const size_t W = LOGREG__AVX2_W;
    __m256 zv[4], yv[4], wv[4], e[4];
    logreg__avx2_load4(z, k, zv);
    logreg__avx2_load4(y, k, yv);
    if (weighted) logreg__avx2_load4(sw, k, wv);
    else LOGREG__EACH4(wv[j] = _mm256_setzero_ps());
    LOGREG__EACH4(e[j] = k > j * W ? logreg__avx2_exp_nabs(zv[j]) : _mm256_setzero_ps());
    LOGREG__EACH4(if (k > j * W) zv[j] = logreg__avx2_lr1(zv[j], e[j], yv[j], wv[j], k - j * W,
                                           want_loss, weighted, v + 3 * (j & 1), bad));
    logreg__avx2_store4(z, k, zv);
}
LOGREG__AVX2 LOGREG__ALWAYS_INLINE void logreg__avx2_lr_rows(float *z, const float *y, const float *sw, size_t n,
                                                             int want_loss, int weighted, __m256 v[6], int bad[3]) {
    const size_t W4 = 4 * LOGREG__AVX2_W;
    size_t i;
    for (i = 0; i + W4 <= n; i += W4) logreg__avx2_lr4(z + i, y + i, weighted ? sw + i : sw, W4, want_loss, weighted, v, bad);
    if (i < n) logreg__avx2_lr4(z + i, y + i, weighted ? sw + i : sw, n - i, want_loss, weighted, v, bad);
}
/* z -> r = sw (σ(z) - y) in place; adds Σ sw·BCE, Σ r, Σ sw to s (want_loss == 0 leaves s[0]). */
LOGREG__AVX2 unsigned logreg__avx2_loss_residual(float *z, const float *y, const float *sw, size_t n,
                                                 int want_loss, double s[3]) {
    __m256 v[6];
    int bad[3] = {0, 0, 0};
    LOGREG__EACH4(v[j] = v[j + 2] = _mm256_setzero_ps());
    if (sw && want_loss) logreg__avx2_lr_rows(z, y, sw, n, 1, 1, v, bad);
    else if (sw) logreg__avx2_lr_rows(z, y, sw, n, 0, 1, v, bad);
    else if (want_loss) logreg__avx2_lr_rows(z, y, sw, n, 1, 0, v, bad);
    else logreg__avx2_lr_rows(z, y, sw, n, 0, 0, v, bad);
    if (want_loss) s[0] += logreg__avx2_hsum(_mm256_add_ps(v[0], v[3]));
    s[1] += logreg__avx2_hsum(_mm256_add_ps(v[1], v[4]));
    s[2] += sw ? (double)logreg__avx2_hsum(_mm256_add_ps(v[2], v[5])) : (double)n;
    return (bad[0] ? LOGREG__BAD_Z : 0u) | (bad[1] ? logreg__label_block_flags(y, n) : 0u) |
           (bad[2] ? logreg__weight_block_flags(sw, n) : 0u);
}

LOGREG__TARGET_AVX2 static unsigned logreg__avx2_residual(const float *X, size_t n, size_t m, size_t ld,
                                                         const float *w, float b, const float *y, float *r) {
    double s[3] = {0.0, 0.0, 0.0};
    unsigned bad;
    LOGREG__FTZ_BEGIN
    logreg__avx2_dots(X, n, m, ld, w, b, r, logreg__ahead(X, n, ld));
    bad = logreg__avx2_loss_residual(r, y, NULL, n, 0, s);
    LOGREG__FTZ_END
    return bad;
}

/* acc[j] += Σ r_i x_ij for rows of at most 2 vectors: the sums stay in registers for the
   whole block, one chain per row mod 4, so rows do not wait on each other's FMA latency.
   next, if not 0, is the block after this one, prefetched into L2 four rows at a time. */
LOGREG__AVX2 void logreg__avx2_axpy_narrow(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                           uintptr_t next) {
    __m256 g0 = _mm256_setzero_ps(), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
    size_t i, k = m < LOGREG__AVX2_W ? m : LOGREG__AVX2_W, k2 = m - k; /* lanes in the first and second vector */
    for (i = 0; i + 4 <= n; i += 4) {
        const float *x = X + i * ld;
        if (next) {
            logreg__prefetch4(next + sizeof(float) * i * ld, ld);
            if (k2) logreg__prefetch4(next + sizeof(float) * (i * ld + k), ld);
        }
        __m256 r0 = _mm256_set1_ps(r[i]), r1 = _mm256_set1_ps(r[i + 1]), r2 = _mm256_set1_ps(r[i + 2]), r3 = _mm256_set1_ps(r[i + 3]);
        g0 = _mm256_fmadd_ps(r0, logreg__avx2_load(x, k), g0), g1 = _mm256_fmadd_ps(r1, logreg__avx2_load(x + ld, k), g1);
        g2 = _mm256_fmadd_ps(r2, logreg__avx2_load(x + 2 * ld, k), g2), g3 = _mm256_fmadd_ps(r3, logreg__avx2_load(x + 3 * ld, k), g3);
        if (k2) {
            h0 = _mm256_fmadd_ps(r0, logreg__avx2_load(x + k, k2), h0), h1 = _mm256_fmadd_ps(r1, logreg__avx2_load(x + ld + k, k2), h1);
            h2 = _mm256_fmadd_ps(r2, logreg__avx2_load(x + 2 * ld + k, k2), h2), h3 = _mm256_fmadd_ps(r3, logreg__avx2_load(x + 3 * ld + k, k2), h3);
        }
    }
    for (; i < n; i++) {
        g0 = _mm256_fmadd_ps(_mm256_set1_ps(r[i]), logreg__avx2_load(X + i * ld, k), g0);
        if (k2) h0 = _mm256_fmadd_ps(_mm256_set1_ps(r[i]), logreg__avx2_load(X + i * ld + k, k2), h0);
    }
    logreg__avx2_store(acc, k, _mm256_add_ps(logreg__avx2_load(acc, k), _mm256_add_ps(_mm256_add_ps(g0, g1), _mm256_add_ps(g2, g3))));
    if (k2) logreg__avx2_store(acc + k, k2, _mm256_add_ps(logreg__avx2_load(acc + k, k2), _mm256_add_ps(_mm256_add_ps(h0, h1), _mm256_add_ps(h2, h3))));
}

/* acc[j] += Σ r_i x_ij, rows in order (so the sums round as in the plain loop): eight vectors
   of acc stay in registers while up to sixteen rows are added. next, if not 0, is the address of
   the block that comes after this one (same ld): its lines are prefetched into L2 as this block's
   are read, so memory keeps streaming while this block is worked on from cache. Chunks go in
   the order logreg__chunk0 gives (from the end for wide rows). */
LOGREG__AVX2 void logreg__avx2_axpy_rows(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                       uintptr_t next) {
    const size_t W = LOGREG__AVX2_W, c = 8 * W, nc = m / c;
    const size_t j0 = logreg__chunk0(m, c), step = logreg__chunk_step(m, c);
    size_t i0, i, j, t, rows;
    for (i0 = 0; i0 < n; i0 += rows) {
        rows = n - i0 < 16 ? n - i0 : 16;
        for (t = 0, j = j0; t < nc; t++, j += step) {
            float *a = acc + j;
            __m256 g0 = _mm256_loadu_ps(a), g1 = _mm256_loadu_ps(a + W), g2 = _mm256_loadu_ps(a + 2 * W), g3 = _mm256_loadu_ps(a + 3 * W);
            __m256 g4 = _mm256_loadu_ps(a + 4 * W), g5 = _mm256_loadu_ps(a + 5 * W), g6 = _mm256_loadu_ps(a + 6 * W), g7 = _mm256_loadu_ps(a + 7 * W);
            for (i = i0; i < i0 + rows; i++) {
                const float *x = X + i * ld + j;
                const __m256 ri = _mm256_set1_ps(r[i]);
                if (next) logreg__prefetch_span(next + sizeof(float) * (i * ld + j), 8 * W * sizeof(float));
                g0 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x), g0), g1 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + W), g1);
                g2 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 2 * W), g2), g3 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 3 * W), g3);
                g4 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 4 * W), g4), g5 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 5 * W), g5);
                g6 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 6 * W), g6), g7 = _mm256_fmadd_ps(ri, _mm256_loadu_ps(x + 7 * W), g7);
            }
            _mm256_storeu_ps(a, g0), _mm256_storeu_ps(a + W, g1), _mm256_storeu_ps(a + 2 * W, g2), _mm256_storeu_ps(a + 3 * W, g3);
            _mm256_storeu_ps(a + 4 * W, g4), _mm256_storeu_ps(a + 5 * W, g5), _mm256_storeu_ps(a + 6 * W, g6), _mm256_storeu_ps(a + 7 * W, g7);
        }
        for (j = nc * c; j < m; j += W) { /* the last few vectors, one at a time (one prefetch per 64 bytes) */
            __m256 g = logreg__avx2_load(acc + j, m - j);
            for (i = i0; i < i0 + rows; i++) {
                if (next && j * sizeof(float) % 64 == 0) LOGREG__PREFETCH_L2((const char *)(next + sizeof(float) * (i * ld + j)));
                g = _mm256_fmadd_ps(_mm256_set1_ps(r[i]), logreg__avx2_load(X + i * ld + j, m - j), g);
            }
            logreg__avx2_store(acc + j, m - j, g);
        }
    }
}

LOGREG__TARGET_AVX2 static void logreg__avx2_grad_accumulate(const float *X, size_t n, size_t m, size_t ld,
                                                            const float *r, float *acc) {
    LOGREG__FTZ_BEGIN
    if (m <= 2 * LOGREG__AVX2_W) logreg__avx2_axpy_narrow(X, n, m, ld, r, acc, 0);
    else logreg__avx2_axpy_rows(X, n, m, ld, r, acc, 0);
    LOGREG__FTZ_END
}

LOGREG__TARGET_AVX2 static unsigned logreg__avx2_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                                          const float *y, const float *sw, const float *w, float b,
                                                          int want_loss, float *acc, double s[3], const float *next) {
    float z[LOGREG__BLOCK_MAX];
    unsigned bad;
    LOGREG__FTZ_BEGIN
    LOGREG_ASSERT(n <= LOGREG__BLOCK_MAX);
    logreg__avx2_dots(X, n, m, ld, w, b, z, (uintptr_t)next);
    bad = logreg__avx2_loss_residual(z, y, sw, n, want_loss, s);
    if (m <= 2 * LOGREG__AVX2_W) logreg__avx2_axpy_narrow(X, n, m, ld, z, acc, (uintptr_t)next);
    else logreg__avx2_axpy_rows(X, n, m, ld, z, acc, (uintptr_t)next);
    LOGREG__FTZ_END
    return bad;
}

LOGREG__TARGET_AVX2 static unsigned logreg__avx2_predict_proba(const float *X, size_t n, size_t m, size_t ld,
                                                              const float *w, float b, float *p) {
    int badz = 0;
    size_t i;
    __m256 v[4];
    LOGREG__FTZ_BEGIN
    logreg__avx2_dots(X, n, m, ld, w, b, p, logreg__ahead(X, n, ld));
    for (i = 0; i < n; i += 4 * LOGREG__AVX2_W) {
        logreg__avx2_load4(p + i, n - i, v);
        LOGREG__EACH4(badz |= logreg__avx2_nonfinite(v[j]));
        logreg__avx2_sigmoid4(v);
        logreg__avx2_store4(p + i, n - i, v);
    }
    LOGREG__FTZ_END
    return badz ? LOGREG__BAD_Z : 0u;
}

static const logreg__kernels logreg__avx2_kernels = {
    LOGREG_ISA_AVX2,
    logreg__avx2_sigmoid,
    logreg__avx2_residual,
    logreg__avx2_grad_accumulate,
    logreg__avx2_loss_grad,
    logreg__avx2_predict_proba,
};

#endif /* LOGREG__X86 */
