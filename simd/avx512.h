/* AVX-512 kernels (F, DQ, BW, VL): 16 floats per vector, tails by mask. Same functions, same
   order, same names as avx2.h and neon.h; only the instruction set differs, plus two additions
   for rows of at most one vector. They are summed sixteen at a time (the fold helpers, dots16),
   and narrow rows add into the gradient sixteen at a time (axpy2). And in loss_grad, where a
   block of them has 128 rows or more, the dot products ask for the first half of the next
   block and the residual loop for the second (the gradient asks for all of it again): the
   residuals and loss take a third of such a block's time and left memory idle while they ran
   (1,000,000 x 16: 0.93-0.97x the time, scratch harness; rows of 32 or 48 floats were 1.05-1.13x
   slower split this way, AVX2's 16-float rows 1.02-1.03x, so they keep one request per loop). */
#include "scalar.h"
#if defined(LOGREG__X86_AVX512)

#define LOGREG__AVX512 LOGREG__TARGET_AVX512 static inline
#define LOGREG__AVX512_W 16

LOGREG__AVX512 __mmask16 logreg__avx512_mask(size_t k) { /* the first min(k, 16) lanes */
    return k >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << k) - 1u);
}
/* Always masked (a branch to a plain load here made G2 1.03x slower on an AMD EPYC, unlike AVX2's
   load); kernels that know once per call that rows fill the vector use logreg__avx512_row. */
LOGREG__AVX512 __m512 logreg__avx512_load(const float *p, size_t k) {
    return _mm512_maskz_loadu_ps(logreg__avx512_mask(k), p);
}
LOGREG__AVX512 __m512 logreg__avx512_row(const float *p, __mmask16 k, int full) { /* full: all 16 lanes, a plain load */
    return full ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(k, p);
}
LOGREG__AVX512 void logreg__avx512_store(float *p, size_t k, __m512 v) {
    _mm512_mask_storeu_ps(p, logreg__avx512_mask(k), v);
}
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_load4(const float *p, size_t k, __m512 v[4]) { /* the first min(k, 64) floats */
    LOGREG__EACH4(v[j] = k > j * LOGREG__AVX512_W ? logreg__avx512_load(p + j * LOGREG__AVX512_W, k - j * LOGREG__AVX512_W) : _mm512_setzero_ps());
}
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_store4(float *p, size_t k, const __m512 v[4]) {
    LOGREG__EACH4(if (k > j * LOGREG__AVX512_W) logreg__avx512_store(p + j * LOGREG__AVX512_W, k - j * LOGREG__AVX512_W, v[j]));
}
/* b in lane 0, zeros elsewhere: the dot products start from it (why: common.h, "b in lane 0") */
LOGREG__AVX512 __m512 logreg__avx512_lane0(float b) { return _mm512_maskz_mov_ps(1, _mm512_set1_ps(b)); }
LOGREG__AVX512 __mmask16 logreg__avx512_nonfinite(__m512 v) { /* NaN or ±Inf */
    return _mm512_fpclass_ps_mask(v, 0x99);
}
/* Lanes not in [0, x] for the positive float x with bits top, or NaN; by the bits (see
   logreg__label_flags): above top as unsigned, and not -0. */
LOGREG__AVX512 __mmask16 logreg__avx512_outside(__m512 v, uint32_t top) {
    __m512i u = _mm512_castps_si512(v);
    return _mm512_cmpgt_epu32_mask(u, _mm512_set1_epi32((int)top)) & _mm512_test_epi32_mask(u, _mm512_set1_epi32(0x7fffffff));
}

/* T_k = 2^(k/16) rounded to float and its relative error d_k, as bits (see common.h) */
static const uint32_t logreg__avx512_exp2_t[16] = {
    0x3f800000, 0x3f85aac3, 0x3f8b95c2, 0x3f91c3d3, 0x3f9837f0, 0x3f9ef532, 0x3fa5fed7, 0x3fad583f,
    0x3fb504f3, 0x3fbd08a4, 0x3fc5672a, 0x3fce248c, 0x3fd744fd, 0x3fe0ccdf, 0x3feac0c7, 0x3ff5257d};
static const uint32_t logreg__avx512_exp2_d[16] = {
    0x00000000, 0x3346cb6a, 0xb24e0611, 0x334b2482, 0x33092801, 0x331b85f2, 0xb3051aa8, 0xb2006c56,
    0x329302ae, 0xb302e5a2, 0x31b3d0e5, 0x31d1daf2, 0xb27ce182, 0xb1b4b0da, 0xb1d290be, 0x31b0a147};

/* e^-t for four vectors of t in [-SIG_TMAX, SIG_TMAX], in place; 0 where that is below FLT_MIN */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_exp_neg4(__m512 t[4]) {
    const __m512 magic = _mm512_set1_ps(LOGREG__ROUND_MAGIC16);
    const __m512 tt = _mm512_castsi512_ps(_mm512_loadu_si512(logreg__avx512_exp2_t));
    const __m512 td = _mm512_castsi512_ps(_mm512_loadu_si512(logreg__avx512_exp2_d));
    __m512 f[4], n[4], tk[4], dk[4], s[4], p[4];
    LOGREG__EACH4(f[j] = _mm512_fmadd_ps(t[j], _mm512_set1_ps(-LOGREG__LOG2E), magic));
    LOGREG__EACH4(n[j] = _mm512_sub_ps(f[j], magic));
    LOGREG__EACH4(s[j] = _mm512_fmadd_ps(n[j], _mm512_set1_ps(LOGREG__LN2F), t[j]));
    LOGREG__EACH4(p[j] = _mm512_fmadd_ps(_mm512_set1_ps(LOGREG__EXP16_H1), s[j], _mm512_set1_ps(LOGREG__EXP16_H0)));
    /* vpermps reads the low 4 bits of f: 16 n mod 16 */
    LOGREG__EACH4(dk[j] = _mm512_permutexvar_ps(_mm512_castps_si512(f[j]), td));
    LOGREG__EACH4(dk[j] = _mm512_fnmadd_ps(n[j], _mm512_set1_ps(LOGREG__LN2_ERR), dk[j]));
    LOGREG__EACH4(p[j] = _mm512_fmadd_ps(p[j], s[j], _mm512_set1_ps(-1.0f)));
    LOGREG__EACH4(p[j] = _mm512_fmadd_ps(p[j], s[j], dk[j]));
    LOGREG__EACH4(tk[j] = _mm512_permutexvar_ps(_mm512_castps_si512(f[j]), tt));
    LOGREG__EACH4(t[j] = _mm512_scalef_ps(_mm512_fmadd_ps(p[j], tk[j], tk[j]), n[j])); /* scalef takes floor(n) */
}

/* e^-|z|, |z| clamped to SIG_TMAX (0 below FLT_MIN), for the residuals and the loss: exp_neg4 on four
   copies, which GCC computes once (those kernels have too many values live for four side by side) */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE __m512 logreg__avx512_exp_nabs(__m512 z) {
    __m512 v[4];
    LOGREG__EACH4(v[j] = _mm512_min_ps(_mm512_set1_ps(LOGREG__SIG_TMAX), _mm512_abs_ps(z)));
    logreg__avx512_exp_neg4(v);
    return v[0];
}

/* num/(1+e) rounded once: a reciprocal estimate q, then one correction by the residual
   num - (1+e) q, which is exact (both subtractions are), so the rounding of 1+e never shows. */
LOGREG__AVX512 __m512 logreg__avx512_ratio(__m512 num, __m512 e) {
    __m512 y = _mm512_rcp14_ps(_mm512_add_ps(_mm512_set1_ps(1.0f), e));
    __m512 q = _mm512_mul_ps(num, y);
    return _mm512_fmadd_ps(_mm512_fnmadd_ps(e, q, _mm512_sub_ps(num, q)), y, q);
}

/* σ(z) = 1/(1+e), e = e^-z (see common.h), for four vectors in place. min and max return their
   second operand when one is NaN, so a NaN z stays NaN. */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_sigmoid4(__m512 v[4]) {
    __m512 e[4], y[4];
    LOGREG__EACH4(e[j] = _mm512_max_ps(_mm512_set1_ps(-LOGREG__SIG_TMAX), _mm512_min_ps(_mm512_set1_ps(LOGREG__SIG_TMAX), v[j])));
    logreg__avx512_exp_neg4(e);
    LOGREG__EACH4(y[j] = _mm512_rcp14_ps(_mm512_add_ps(_mm512_set1_ps(1.0f), e[j])));
    LOGREG__EACH4(v[j] = _mm512_fmadd_ps(_mm512_sub_ps(_mm512_fnmadd_ps(e[j], y[j], _mm512_set1_ps(1.0f)), y[j]), y[j], y[j]));
}

/* σ(z) - y through s = σ(-|z|) = e/(1+e): s - y or (1-y) - s, no cancellation when σ ≈ y. */
LOGREG__AVX512 __m512 logreg__avx512_residual_e(__m512 z, __m512 e, __m512 y) {
    __m512 s = logreg__avx512_ratio(e, e);
    __mmask16 neg = _mm512_cmp_ps_mask(z, _mm512_setzero_ps(), _CMP_LT_OQ);
    return _mm512_mask_sub_ps(_mm512_sub_ps(_mm512_sub_ps(_mm512_set1_ps(1.0f), y), s), neg, s, y);
}

/* ln(1 + e) for e in [0, 1] (see common.h). */
LOGREG__AVX512 __m512 logreg__avx512_log1p(__m512 e) {
    __mmask16 big = _mm512_cmp_ps_mask(e, _mm512_set1_ps(LOGREG__SQRT2_M1), _CMP_GT_OQ);
    __m512 k = _mm512_maskz_mov_ps(big, _mm512_set1_ps(1.0f));
    __m512 s = _mm512_div_ps(_mm512_sub_ps(e, k), _mm512_add_ps(e, _mm512_add_ps(k, _mm512_set1_ps(2.0f))));
    __m512 s2 = _mm512_mul_ps(s, s);
    __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(LOGREG__LOG_C9), s2, _mm512_set1_ps(LOGREG__LOG_C7));
    __m512 l;
    q = _mm512_fmadd_ps(q, s2, _mm512_set1_ps(LOGREG__LOG_C5));
    q = _mm512_fmadd_ps(q, s2, _mm512_set1_ps(LOGREG__LOG_C3));
    l = _mm512_fmadd_ps(_mm512_mul_ps(q, s2), s, _mm512_add_ps(s, s));
    return _mm512_mask_add_ps(l, big, l, _mm512_set1_ps(LOGREG__LN2));
}

/* The sums of four rows' accumulators, in lanes 0..3. */
LOGREG__AVX512 __m128 logreg__avx512_hsum4(__m512 a0, __m512 a1, __m512 a2, __m512 a3) {
    __m256 h0 = _mm256_add_ps(_mm512_extractf32x8_ps(a0, 0), _mm512_extractf32x8_ps(a0, 1));
    __m256 h1 = _mm256_add_ps(_mm512_extractf32x8_ps(a1, 0), _mm512_extractf32x8_ps(a1, 1));
    __m256 h2 = _mm256_add_ps(_mm512_extractf32x8_ps(a2, 0), _mm512_extractf32x8_ps(a2, 1));
    __m256 h3 = _mm256_add_ps(_mm512_extractf32x8_ps(a3, 0), _mm512_extractf32x8_ps(a3, 1));
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(h0, h1), _mm256_hadd_ps(h2, h3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}
LOGREG__AVX512 float logreg__avx512_hsum(__m512 a) {
    return _mm_cvtss_f32(logreg__avx512_hsum4(a, a, a, a));
}

/* All four loads come before the first store: where a starts a few lines past z modulo 4 KiB, a
   load would otherwise wait on the store before it (4K aliasing, 0.49 ns/element on an AMD EPYC). */
LOGREG__TARGET_AVX512 static void logreg__avx512_sigmoid(const float *z, float *a, size_t n) {
    const size_t W = LOGREG__AVX512_W;
    size_t i;
    __m512 v[4];
    LOGREG__FTZ_BEGIN
    for (i = 0; i + 4 * W <= n; i += 4 * W) {
        LOGREG__EACH4(v[j] = _mm512_loadu_ps(z + i + j * W));
        logreg__avx512_sigmoid4(v);
        LOGREG__EACH4(_mm512_storeu_ps(a + i + j * W, v[j]));
    }
    if (i < n) {
        logreg__avx512_load4(z + i, n - i, v);
        logreg__avx512_sigmoid4(v);
        logreg__avx512_store4(a + i, n - i, v);
    }
    LOGREG__FTZ_END
}

/* Steps of a transpose-reduce: each adds neighbours in a and in b, one operand a blend of a and b
   and the other a shuffle of them (one shuffle a step instead of two: dots16 0.97x the time in
   cache on an AMD EPYC, bit-identical). halves: a's 256-bit halves, then b's; lanes: 128-bit
   lanes 0+1 of a, of b, then 2+3 of a, of b; pairs: floats 0+1 of a, of b, then 2+3 of a, of b,
   in each lane. */
LOGREG__AVX512 __m512 logreg__avx512_fold_halves(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_blend_ps(0xff00, a, b), _mm512_shuffle_f32x4(a, b, 0x4e));
}
LOGREG__AVX512 __m512 logreg__avx512_fold_lanes(__m512 a, __m512 b) {
    const __m512i i = _mm512_setr_epi32(4, 5, 6, 7, 16, 17, 18, 19, 12, 13, 14, 15, 24, 25, 26, 27);
    return _mm512_add_ps(_mm512_mask_blend_ps(0xf0f0, a, b), _mm512_permutex2var_ps(a, i, b));
}
LOGREG__AVX512 __m512 logreg__avx512_fold_pairs(__m512 a, __m512 b) {
    const __m512i i = _mm512_setr_epi32(1, 16, 3, 18, 5, 20, 7, 22, 9, 24, 11, 26, 13, 28, 15, 30);
    return _mm512_add_ps(_mm512_mask_blend_ps(0xaaaa, a, b), _mm512_permutex2var_ps(a, i, b));
}

/* b0 plus rows x, x + ld, ..., x + 15 ld times w over their first m lanes (k), in row order:
   rows r and r+8 add their halves, 128-bit lanes then hold rows r, r+4, r+8, r+12 (r < 4), pairs
   within lanes hold rows r and r+1 (r even), and a last blend and shuffle put each row's two sums
   together. full (all 16 lanes) takes plain loads, which an AMD EPYC runs faster than masked ones
   (dots_narrow 1.15x, axpy_narrow 1.2x). */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE __m512 logreg__avx512_dots16(const float *x, size_t ld, __mmask16 k, int full, __m512 w,
                                                                   __m512 b0) {
    __m512 v0, v1, v2, v3, v4, v5, v6, v7;
#define LOGREG__ROW(r) _mm512_fmadd_ps(logreg__avx512_row(x + (r) * ld, k, full), w, b0)
    v0 = logreg__avx512_fold_halves(LOGREG__ROW(0), LOGREG__ROW(8));
    v1 = logreg__avx512_fold_halves(LOGREG__ROW(1), LOGREG__ROW(9));
    v2 = logreg__avx512_fold_halves(LOGREG__ROW(2), LOGREG__ROW(10));
    v3 = logreg__avx512_fold_halves(LOGREG__ROW(3), LOGREG__ROW(11));
    v4 = logreg__avx512_fold_halves(LOGREG__ROW(4), LOGREG__ROW(12));
    v5 = logreg__avx512_fold_halves(LOGREG__ROW(5), LOGREG__ROW(13));
    v6 = logreg__avx512_fold_halves(LOGREG__ROW(6), LOGREG__ROW(14));
    v7 = logreg__avx512_fold_halves(LOGREG__ROW(7), LOGREG__ROW(15));
#undef LOGREG__ROW
    v0 = logreg__avx512_fold_lanes(v0, v4), v1 = logreg__avx512_fold_lanes(v1, v5);
    v2 = logreg__avx512_fold_lanes(v2, v6), v3 = logreg__avx512_fold_lanes(v3, v7);
    v0 = logreg__avx512_fold_pairs(v0, v1), v2 = logreg__avx512_fold_pairs(v2, v3);
    return _mm512_add_ps(_mm512_mask_blend_ps(0xcccc, v0, v2), _mm512_shuffle_ps(v0, v2, 0x4e));
}

/* z[i] = w·x_i + b for rows of at most one vector, sixteen at a time (dots16); the last n mod 16
   rows go through a zero-padded copy. next: as in dots. */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_dots16_rows(const float *X, size_t n, size_t ld, __mmask16 k, int full,
                                                                     __m512 w, __m512 b0, float *z, uintptr_t next, size_t fetch) {
    size_t i;
    for (i = 0; i + 16 <= n; i += 16) {
        if (next && i < fetch) {
            uintptr_t q = next + sizeof(float) * i * ld;
            logreg__prefetch4(q, ld), logreg__prefetch4(q + 4 * sizeof(float) * ld, ld);
            logreg__prefetch4(q + 8 * sizeof(float) * ld, ld), logreg__prefetch4(q + 12 * sizeof(float) * ld, ld);
        }
        _mm512_storeu_ps(z + i, logreg__avx512_dots16(X + i * ld, ld, k, full, w, b0));
    }
}
LOGREG__AVX512 void logreg__avx512_dots_narrow(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                              uintptr_t next, size_t fetch) {
    const __mmask16 k = logreg__avx512_mask(m);
    const __m512 wv = _mm512_maskz_loadu_ps(k, w), b0 = logreg__avx512_lane0(b);
    const size_t n16 = n / 16 * 16;
    size_t r;
    if (m == LOGREG__AVX512_W) logreg__avx512_dots16_rows(X, n16, ld, k, 1, wv, b0, z, next, fetch);
    else logreg__avx512_dots16_rows(X, n16, ld, k, 0, wv, b0, z, next, fetch);
    if (n16 < n) {
        float t[16 * LOGREG__AVX512_W];
        memset(t, 0, sizeof t);
        for (r = 0; n16 + r < n; r++) _mm512_storeu_ps(t + r * LOGREG__AVX512_W, _mm512_maskz_loadu_ps(k, X + (n16 + r) * ld));
        logreg__avx512_store(z + n16, n - n16, logreg__avx512_dots16(t, LOGREG__AVX512_W, k, 1, wv, b0));
    }
}

/* z[i] = w·x_i + b. Four rows share each load of w; each row sums in two accumulators and the
   same reduction tree, so a row's z depends only on m, never on its neighbours or alignment.
   (Rows past n repeat row i; their sums are not stored.) next, if not 0, is the block after
   this one (same ld): its first fetch rows are prefetched into L2 line by line as these are read. */
LOGREG__AVX512 void logreg__avx512_dots(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                       uintptr_t next, size_t fetch) {
    size_t i, j, rows;
    if (m <= LOGREG__AVX512_W) {
        logreg__avx512_dots_narrow(X, n, m, ld, w, b, z, next, fetch);
        return;
    }
    for (i = 0; i < n; i += rows) {
        const float *x0 = X + i * ld, *x1, *x2, *x3;
        __m512 a0 = logreg__avx512_lane0(b), a1 = a0, a2 = a0, a3 = a0, c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
        __m128 s;
        rows = n - i < 4 ? n - i : 4;
        x1 = rows > 1 ? x0 + ld : x0, x2 = rows > 2 ? x0 + 2 * ld : x0, x3 = rows > 3 ? x0 + 3 * ld : x0;
        for (j = 0; j + 2 * LOGREG__AVX512_W <= m; j += 2 * LOGREG__AVX512_W) {
            __m512 w0 = _mm512_loadu_ps(w + j), w1 = _mm512_loadu_ps(w + j + LOGREG__AVX512_W);
            if (next && i < fetch) { /* 128 bytes of each row */
                uintptr_t q = next + sizeof(float) * (i * ld + j);
                logreg__prefetch4(q, ld), logreg__prefetch4(q + 64, ld);
            }
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x0 + j), w0, a0), c0 = _mm512_fmadd_ps(_mm512_loadu_ps(x0 + j + LOGREG__AVX512_W), w1, c0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(x1 + j), w0, a1), c1 = _mm512_fmadd_ps(_mm512_loadu_ps(x1 + j + LOGREG__AVX512_W), w1, c1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(x2 + j), w0, a2), c2 = _mm512_fmadd_ps(_mm512_loadu_ps(x2 + j + LOGREG__AVX512_W), w1, c2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(x3 + j), w0, a3), c3 = _mm512_fmadd_ps(_mm512_loadu_ps(x3 + j + LOGREG__AVX512_W), w1, c3);
        }
        for (; j + LOGREG__AVX512_W <= m; j += LOGREG__AVX512_W) {
            __m512 w0 = _mm512_loadu_ps(w + j);
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x0 + j), w0, a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(x1 + j), w0, a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(x2 + j), w0, a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(x3 + j), w0, a3);
        }
        if (j < m) {
            __m512 w0 = logreg__avx512_load(w + j, m - j);
            a0 = _mm512_fmadd_ps(logreg__avx512_load(x0 + j, m - j), w0, a0);
            a1 = _mm512_fmadd_ps(logreg__avx512_load(x1 + j, m - j), w0, a1);
            a2 = _mm512_fmadd_ps(logreg__avx512_load(x2 + j, m - j), w0, a2);
            a3 = _mm512_fmadd_ps(logreg__avx512_load(x3 + j, m - j), w0, a3);
        }
        s = logreg__avx512_hsum4(_mm512_add_ps(a0, c0), _mm512_add_ps(a1, c1), _mm512_add_ps(a2, c2), _mm512_add_ps(a3, c3));
        _mm_mask_storeu_ps(z + i, (__mmask8)((1u << rows) - 1u), s);
    }
}

/* One vector (k lanes) of z, e = e^-|z|, y, sw -> r = sw (σ(z) - y); adds Σ sw·BCE, Σ r, Σ sw to
   v[0..2] (Σ sw only when weighted) and ORs the lanes with bad z, y, sw into bad[0..2]. */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE __m512 logreg__avx512_lr1(__m512 zv, __m512 e, __m512 yv, __m512 wv, __mmask16 k,
                                                               int want_loss, int weighted, __m512 v[3], __mmask16 bad[3]) {
    __m512 rv = logreg__avx512_residual_e(zv, e, yv);
    bad[0] |= logreg__avx512_nonfinite(zv) & k;
    bad[1] |= logreg__avx512_outside(yv, LOGREG__ONE_BITS) & k;
    if (weighted) {
        bad[2] |= logreg__avx512_outside(wv, LOGREG__MAX_BITS) & k;
        rv = _mm512_mul_ps(rv, wv);
        v[2] = _mm512_add_ps(v[2], wv);
    }
    if (want_loss) { /* ln(1+e^-|z|) + |z| (z < 0 ? y : 1-y): no cancellation */
        __mmask16 neg = _mm512_cmp_ps_mask(zv, _mm512_setzero_ps(), _CMP_LT_OQ);
        __m512 c = _mm512_mask_blend_ps(neg, _mm512_sub_ps(_mm512_set1_ps(1.0f), yv), yv);
        __m512 l = _mm512_fmadd_ps(_mm512_abs_ps(zv), c, logreg__avx512_log1p(e));
        v[0] = weighted ? _mm512_fmadd_ps(l, wv, v[0]) : _mm512_mask_add_ps(v[0], k, v[0], l);
    }
    v[1] = _mm512_mask_add_ps(v[1], k, v[1], rv);
    return rv;
}
/* The first k floats (at most four vectors) of z, y, sw -> r in place: all loads before the first
   store (4K aliasing, see logreg__avx512_sigmoid), the four exponentials before the four residuals
   (0.8x the time of one vector's steps after another's, in cache on an AMD EPYC); the sums of
   even vectors go to v[0..2], of odd ones to v[3..5]. */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_lr4(float *z, const float *y, const float *sw, size_t k,
                                                             int want_loss, int weighted, __m512 v[6], __mmask16 bad[3]) {
    const size_t W = LOGREG__AVX512_W;
    __m512 zv[4], yv[4], wv[4], e[4];
    logreg__avx512_load4(z, k, zv);
    logreg__avx512_load4(y, k, yv);
    if (weighted) logreg__avx512_load4(sw, k, wv);
    else LOGREG__EACH4(wv[j] = _mm512_setzero_ps());
    LOGREG__EACH4(e[j] = k > j * W ? logreg__avx512_exp_nabs(zv[j]) : _mm512_setzero_ps());
    LOGREG__EACH4(if (k > j * W) zv[j] = logreg__avx512_lr1(zv[j], e[j], yv[j], wv[j], logreg__avx512_mask(k - j * W),
                                             want_loss, weighted, v + 3 * (j & 1), bad));
    logreg__avx512_store4(z, k, zv);
}
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_lr_rows(float *z, const float *y, const float *sw, size_t n, int want_loss,
                                                                 int weighted, uintptr_t next, size_t ld, __m512 v[6], __mmask16 bad[3]) {
    const size_t W4 = 4 * LOGREG__AVX512_W;
    size_t i;
    for (i = 0; i + W4 <= n; i += W4) {
        if (next) logreg__prefetch_lines(next + sizeof(float) * i / 2 * ld, (W4 / 2 * sizeof(float) * ld + 63) / 64);
        logreg__avx512_lr4(z + i, y + i, weighted ? sw + i : sw, W4, want_loss, weighted, v, bad);
    }
    if (i < n) logreg__avx512_lr4(z + i, y + i, weighted ? sw + i : sw, n - i, want_loss, weighted, v, bad);
}
/* z -> r = sw (σ(z) - y) in place; adds Σ sw·BCE, Σ r, Σ sw to s (want_loss == 0 leaves s[0]).
   next, if not 0, is rows this loop asks for, into L2: half a row of next (same ld) per row of z. */
LOGREG__AVX512 unsigned logreg__avx512_loss_residual(float *z, const float *y, const float *sw, size_t n, int want_loss,
                                                     double s[3], uintptr_t next, size_t ld) {
    __m512 v[6];
    __mmask16 bad[3] = {0, 0, 0};
    LOGREG__EACH4(v[j] = v[j + 2] = _mm512_setzero_ps());
    if (sw && want_loss) logreg__avx512_lr_rows(z, y, sw, n, 1, 1, next, ld, v, bad);
    else if (sw) logreg__avx512_lr_rows(z, y, sw, n, 0, 1, next, ld, v, bad);
    else if (want_loss) logreg__avx512_lr_rows(z, y, sw, n, 1, 0, next, ld, v, bad);
    else logreg__avx512_lr_rows(z, y, sw, n, 0, 0, next, ld, v, bad);
    if (want_loss) s[0] += logreg__avx512_hsum(_mm512_add_ps(v[0], v[3]));
    s[1] += logreg__avx512_hsum(_mm512_add_ps(v[1], v[4]));
    s[2] += sw ? (double)logreg__avx512_hsum(_mm512_add_ps(v[2], v[5])) : (double)n;
    return (bad[0] ? LOGREG__BAD_Z : 0u) | (bad[1] ? logreg__label_block_flags(y, n) : 0u) |
           (bad[2] ? logreg__weight_block_flags(sw, n) : 0u);
}

LOGREG__TARGET_AVX512 static unsigned logreg__avx512_residual(const float *X, size_t n, size_t m, size_t ld,
                                                             const float *w, float b, const float *y, float *r) {
    double s[3] = {0.0, 0.0, 0.0};
    unsigned bad;
    LOGREG__FTZ_BEGIN
    logreg__avx512_dots(X, n, m, ld, w, b, r, logreg__ahead(X, n, ld), n);
    bad = logreg__avx512_loss_residual(r, y, NULL, n, 0, s, 0, 0);
    LOGREG__FTZ_END
    return bad;
}

/* acc[j] += Σ r_i x_ij for rows of at most 2 vectors: the sums stay in registers for the
   whole block, one chain per row mod 8, so rows do not wait on each other's FMA latency; sixteen
   rows share one load of r, broadcast by shuffles. The first vector has k lanes (full: all 16,
   plain loads, see dots16), the second k2. next, if not 0, is the block after this one,
   prefetched into L2 four rows at a time. */
LOGREG__AVX512 LOGREG__ALWAYS_INLINE void logreg__avx512_axpy2(const float *X, size_t n, size_t ld, size_t k, int full, size_t k2,
                                                               const float *r, float *acc, uintptr_t next) {
    const __mmask16 mk = logreg__avx512_mask(k);
    __m512 g0 = _mm512_setzero_ps(), g1 = g0, g2 = g0, g3 = g0, g4 = g0, g5 = g0, g6 = g0, g7 = g0;
    __m512 h0 = g0, h1 = g0, h2 = g0, h3 = g0, h4 = g0, h5 = g0, h6 = g0, h7 = g0;
    size_t i, t;
    for (i = 0; i + 16 <= n; i += 16) {
        const float *x = X + i * ld;
        const __m512 rv = _mm512_loadu_ps(r + i);
        const __m512 q0 = _mm512_shuffle_f32x4(rv, rv, 0x00), q1 = _mm512_shuffle_f32x4(rv, rv, 0x55);
        const __m512 q2 = _mm512_shuffle_f32x4(rv, rv, 0xaa), q3 = _mm512_shuffle_f32x4(rv, rv, 0xff);
        for (t = 0; next && t < 16; t += 4) { /* the same rows of the next block, both vectors' lines */
            logreg__prefetch4(next + sizeof(float) * (i + t) * ld, ld);
            if (k2) logreg__prefetch4(next + sizeof(float) * ((i + t) * ld + k), ld);
        }
#define LOGREG__AXPY(row, q, imm, g, h)                                                            \
    do {                                                                                           \
        const __m512 ri = _mm512_permute_ps(q, imm);                                               \
        g = _mm512_fmadd_ps(ri, logreg__avx512_row(x + (row) * ld, mk, full), g);                  \
        if (k2) h = _mm512_fmadd_ps(ri, logreg__avx512_load(x + (row) * ld + k, k2), h);           \
    } while (0)
        LOGREG__AXPY(0, q0, 0x00, g0, h0); LOGREG__AXPY(1, q0, 0x55, g1, h1); LOGREG__AXPY(2, q0, 0xaa, g2, h2); LOGREG__AXPY(3, q0, 0xff, g3, h3);
        LOGREG__AXPY(4, q1, 0x00, g4, h4); LOGREG__AXPY(5, q1, 0x55, g5, h5); LOGREG__AXPY(6, q1, 0xaa, g6, h6); LOGREG__AXPY(7, q1, 0xff, g7, h7);
        LOGREG__AXPY(8, q2, 0x00, g0, h0); LOGREG__AXPY(9, q2, 0x55, g1, h1); LOGREG__AXPY(10, q2, 0xaa, g2, h2); LOGREG__AXPY(11, q2, 0xff, g3, h3);
        LOGREG__AXPY(12, q3, 0x00, g4, h4); LOGREG__AXPY(13, q3, 0x55, g5, h5); LOGREG__AXPY(14, q3, 0xaa, g6, h6); LOGREG__AXPY(15, q3, 0xff, g7, h7);
#undef LOGREG__AXPY
    }
    for (; i < n; i++) {
        g0 = _mm512_fmadd_ps(_mm512_set1_ps(r[i]), logreg__avx512_load(X + i * ld, k), g0);
        if (k2) h0 = _mm512_fmadd_ps(_mm512_set1_ps(r[i]), logreg__avx512_load(X + i * ld + k, k2), h0);
    }
    g0 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(g0, g4), _mm512_add_ps(g1, g5)), _mm512_add_ps(_mm512_add_ps(g2, g6), _mm512_add_ps(g3, g7)));
    logreg__avx512_store(acc, k, _mm512_add_ps(logreg__avx512_load(acc, k), g0));
    if (k2) {
        h0 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(h0, h4), _mm512_add_ps(h1, h5)), _mm512_add_ps(_mm512_add_ps(h2, h6), _mm512_add_ps(h3, h7)));
        logreg__avx512_store(acc + k, k2, _mm512_add_ps(logreg__avx512_load(acc + k, k2), h0));
    }
}
LOGREG__AVX512 void logreg__avx512_axpy_narrow(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                              uintptr_t next) {
    if (m >= LOGREG__AVX512_W) logreg__avx512_axpy2(X, n, ld, LOGREG__AVX512_W, 1, m - LOGREG__AVX512_W, r, acc, next);
    else logreg__avx512_axpy2(X, n, ld, m, 0, 0, r, acc, next);
}

/* acc[j] += Σ r_i x_ij, rows in order (so the sums round as in the plain loop): eight vectors
   of acc stay in registers while up to sixteen rows are added. next, if not 0, is the address of
   the block that comes after this one (same ld): its lines are prefetched into L2 as this block's
   are read, so memory keeps streaming while this block is worked on from cache. Chunks go in
   the order logreg__chunk0 gives (from the end for wide rows). Rows of LOGREG__AVX512_WIDE
   floats or more take four vectors at a time (the 256 bytes of a row AVX2 takes): a block of
   such rows is larger than L1, so this loop reads most of it from L2, where an AMD EPYC runs
   four-vector chunks faster (2,000 x 4,096: 0.93x the time); where the block fits L1, eight are
   faster (512 x 512: four were 1.02x slower). */
#define LOGREG__AVX512_WIDE 1024
LOGREG__AVX512 void logreg__avx512_axpy_rows(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                       uintptr_t next) {
    const size_t W = LOGREG__AVX512_W, c = m >= LOGREG__AVX512_WIDE ? 4 * W : 8 * W, nc = m / c;
    const size_t j0 = logreg__chunk0(m, c), step = logreg__chunk_step(m, c);
    size_t i0, i, j, t, rows;
    for (i0 = 0; i0 < n; i0 += rows) {
        rows = n - i0 < 16 ? n - i0 : 16;
        for (t = 0, j = j0; c == 4 * W && t < nc; t++, j += step) {
            float *a = acc + j;
            __m512 g0 = _mm512_loadu_ps(a), g1 = _mm512_loadu_ps(a + W), g2 = _mm512_loadu_ps(a + 2 * W), g3 = _mm512_loadu_ps(a + 3 * W);
            for (i = i0; i < i0 + rows; i++) {
                const float *x = X + i * ld + j;
                const __m512 ri = _mm512_set1_ps(r[i]);
                if (next) logreg__prefetch_span(next + sizeof(float) * (i * ld + j), 4 * W * sizeof(float));
                g0 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x), g0), g1 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + W), g1);
                g2 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 2 * W), g2), g3 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 3 * W), g3);
            }
            _mm512_storeu_ps(a, g0), _mm512_storeu_ps(a + W, g1), _mm512_storeu_ps(a + 2 * W, g2), _mm512_storeu_ps(a + 3 * W, g3);
        }
        for (t = 0, j = j0; c == 8 * W && t < nc; t++, j += step) {
            float *a = acc + j;
            __m512 g0 = _mm512_loadu_ps(a), g1 = _mm512_loadu_ps(a + W), g2 = _mm512_loadu_ps(a + 2 * W), g3 = _mm512_loadu_ps(a + 3 * W);
            __m512 g4 = _mm512_loadu_ps(a + 4 * W), g5 = _mm512_loadu_ps(a + 5 * W), g6 = _mm512_loadu_ps(a + 6 * W), g7 = _mm512_loadu_ps(a + 7 * W);
            for (i = i0; i < i0 + rows; i++) {
                const float *x = X + i * ld + j;
                const __m512 ri = _mm512_set1_ps(r[i]);
                if (next) logreg__prefetch_span(next + sizeof(float) * (i * ld + j), 8 * W * sizeof(float));
                g0 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x), g0), g1 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + W), g1);
                g2 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 2 * W), g2), g3 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 3 * W), g3);
                g4 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 4 * W), g4), g5 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 5 * W), g5);
                g6 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 6 * W), g6), g7 = _mm512_fmadd_ps(ri, _mm512_loadu_ps(x + 7 * W), g7);
            }
            _mm512_storeu_ps(a, g0), _mm512_storeu_ps(a + W, g1), _mm512_storeu_ps(a + 2 * W, g2), _mm512_storeu_ps(a + 3 * W, g3);
            _mm512_storeu_ps(a + 4 * W, g4), _mm512_storeu_ps(a + 5 * W, g5), _mm512_storeu_ps(a + 6 * W, g6), _mm512_storeu_ps(a + 7 * W, g7);
        }
        for (j = nc * c; j < m; j += W) { /* the last few vectors, one at a time (one prefetch per 64 bytes) */
            __m512 g = logreg__avx512_load(acc + j, m - j);
            for (i = i0; i < i0 + rows; i++) {
                if (next && j * sizeof(float) % 64 == 0) LOGREG__PREFETCH_L2((const char *)(next + sizeof(float) * (i * ld + j)));
                g = _mm512_fmadd_ps(_mm512_set1_ps(r[i]), logreg__avx512_load(X + i * ld + j, m - j), g);
            }
            logreg__avx512_store(acc + j, m - j, g);
        }
    }
}

LOGREG__TARGET_AVX512 static void logreg__avx512_grad_accumulate(const float *X, size_t n, size_t m,
                                                                size_t ld, const float *r, float *acc) {
    LOGREG__FTZ_BEGIN
    if (m <= 2 * LOGREG__AVX512_W) logreg__avx512_axpy_narrow(X, n, m, ld, r, acc, 0);
    else logreg__avx512_axpy_rows(X, n, m, ld, r, acc, 0);
    LOGREG__FTZ_END
}

LOGREG__TARGET_AVX512 static unsigned logreg__avx512_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                                              const float *y, const float *sw, const float *w,
                                                              float b, int want_loss, float *acc, double s[3], const float *next) {
    float z[LOGREG__BLOCK_MAX];
    unsigned bad;
    size_t h;
    LOGREG__FTZ_BEGIN
    LOGREG_ASSERT(n <= LOGREG__BLOCK_MAX);
    /* rows of one vector: the dot products ask for the first h rows of the next block, the
       residual loop for the rest (see the top of this file) */
    h = next && m <= LOGREG__AVX512_W && n >= 128 ? n / 32 * 16 : n;
    logreg__avx512_dots(X, n, m, ld, w, b, z, (uintptr_t)next, h);
    bad = logreg__avx512_loss_residual(z, y, sw, n, want_loss, s, h < n ? (uintptr_t)(next + h * ld) : 0, ld);
    if (m <= 2 * LOGREG__AVX512_W) logreg__avx512_axpy_narrow(X, n, m, ld, z, acc, (uintptr_t)next);
    else logreg__avx512_axpy_rows(X, n, m, ld, z, acc, (uintptr_t)next);
    LOGREG__FTZ_END
    return bad;
}

LOGREG__TARGET_AVX512 static unsigned logreg__avx512_predict_proba(const float *X, size_t n, size_t m, size_t ld,
                                                                  const float *w, float b, float *p) {
    __mmask16 badz = 0;
    size_t i;
    __m512 v[4];
    LOGREG__FTZ_BEGIN
    logreg__avx512_dots(X, n, m, ld, w, b, p, logreg__ahead(X, n, ld), n);
    for (i = 0; i < n; i += 4 * LOGREG__AVX512_W) {
        logreg__avx512_load4(p + i, n - i, v);
        LOGREG__EACH4(badz |= logreg__avx512_nonfinite(v[j]));
        logreg__avx512_sigmoid4(v);
        logreg__avx512_store4(p + i, n - i, v);
    }
    LOGREG__FTZ_END
    return badz ? LOGREG__BAD_Z : 0u;
}

static const logreg__kernels logreg__avx512_kernels = {
    LOGREG_ISA_AVX512,
    logreg__avx512_sigmoid,
    logreg__avx512_residual,
    logreg__avx512_grad_accumulate,
    logreg__avx512_loss_grad,
    logreg__avx512_predict_proba,
};

#endif /* LOGREG__X86_AVX512 */
