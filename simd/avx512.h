/* AVX-512 kernels (F, DQ, BW, VL): 16 floats per vector, tails by mask. Same functions, same
   order, same names as avx2.h and neon.h; only the instruction set differs, plus one addition:
   rows of at most one vector are summed sixteen at a time (the fold helpers, dots_narrow). */
#include "scalar.h"
#if defined(LOGREG__X86_AVX512)

#define LOGREG__AVX512 LOGREG__TARGET_AVX512 static inline
#define LOGREG__AVX512_W 16

LOGREG__AVX512 __mmask16 logreg__avx512_mask(size_t k) { /* the first min(k, 16) lanes */
    return k >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << k) - 1u);
}
LOGREG__AVX512 __m512 logreg__avx512_load(const float *p, size_t k) {
    return _mm512_maskz_loadu_ps(logreg__avx512_mask(k), p);
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
LOGREG__AVX512 __mmask16 logreg__avx512_nonfinite(__m512 v) { /* NaN or ±Inf */
    return _mm512_fpclass_ps_mask(v, 0x99);
}
LOGREG__AVX512 __mmask16 logreg__avx512_outside01(__m512 v) { /* not in [0, 1], or NaN */
    return ~(_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_GE_OQ) &
             _mm512_cmp_ps_mask(v, _mm512_set1_ps(1.0f), _CMP_LE_OQ));
}

/* e^-|z|, 0 where that is below FLT_MIN (see the sigmoid constants in common.h) */
LOGREG__AVX512 __m512 logreg__avx512_exp_nabs(__m512 z) {
    const __m512 one = _mm512_set1_ps(1.0f), magic = _mm512_set1_ps(LOGREG__ROUND_MAGIC);
    /* max returns its second operand when one is NaN, so a NaN z stays NaN */
    __m512 t = _mm512_max_ps(_mm512_set1_ps(LOGREG__SIG_TMIN), _mm512_or_ps(z, _mm512_set1_ps(-0.0f)));
    __m512 n = _mm512_sub_ps(_mm512_fmadd_ps(t, _mm512_set1_ps(LOGREG__LOG2E), magic), magic);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LOGREG__LN2_HI), t);
    __m512 p;
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LOGREG__LN2_LO), r);
    p = _mm512_fmadd_ps(_mm512_set1_ps(LOGREG__EXP_C6), r, _mm512_set1_ps(LOGREG__EXP_C5));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(LOGREG__EXP_C4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(LOGREG__EXP_C3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(LOGREG__EXP_C2));
    p = _mm512_fmadd_ps(p, r, one);
    p = _mm512_fmadd_ps(p, r, one);
    return _mm512_scalef_ps(p, n);
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
    return _mm512_mask_blend_ps(neg, _mm512_sub_ps(_mm512_sub_ps(_mm512_set1_ps(1.0f), y), s), _mm512_sub_ps(s, y));
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
    __m256 h0 = _mm256_add_ps(_mm512_castps512_ps256(a0), _mm512_extractf32x8_ps(a0, 1));
    __m256 h1 = _mm256_add_ps(_mm512_castps512_ps256(a1), _mm512_extractf32x8_ps(a1, 1));
    __m256 h2 = _mm256_add_ps(_mm512_castps512_ps256(a2), _mm512_extractf32x8_ps(a2, 1));
    __m256 h3 = _mm256_add_ps(_mm512_castps512_ps256(a3), _mm512_extractf32x8_ps(a3, 1));
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(h0, h1), _mm256_hadd_ps(h2, h3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}
LOGREG__AVX512 float logreg__avx512_hsum(__m512 a) {
    return _mm_cvtss_f32(logreg__avx512_hsum4(a, a, a, a));
}

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

/* Halves of a transpose-reduce: a and b hold partial sums of rows; each returns the sums of lane
   pairs (j, j+8), (j, j+1), (j, j+2) or (j, j+4), a's in one set of lanes and b's in the other,
   so sixteen rows become one vector in four steps, the tree of hsum4 for every row. */
LOGREG__AVX512 __m512 logreg__avx512_fold8(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_blend_ps(0xff00, a, b), _mm512_shuffle_f32x4(a, b, 0x4e));
}
LOGREG__AVX512 __m512 logreg__avx512_fold1(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_blend_ps(0xaaaa, a, b), _mm512_permute_ps(_mm512_mask_blend_ps(0x5555, a, b), 0xb1));
}
LOGREG__AVX512 __m512 logreg__avx512_fold2(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_blend_ps(0xcccc, a, b), _mm512_permute_ps(_mm512_mask_blend_ps(0x3333, a, b), 0x4e));
}
LOGREG__AVX512 __m512 logreg__avx512_fold4(__m512 a, __m512 b) {
    __m512 t = _mm512_mask_blend_ps(0x0f0f, a, b);
    return _mm512_add_ps(_mm512_mask_blend_ps(0xf0f0, a, b), _mm512_shuffle_f32x4(t, t, 0xb1));
}

/* z[i] = w·x_i + b for rows of at most one vector, sixteen rows at a time: the products of
   rows i and i+8 fold together, and so on, into one vector of sixteen sums in row order.
   (Rows past n repeat the last row; their sums are not stored.) next: as in dots. */
LOGREG__AVX512 void logreg__avx512_dots_narrow(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                              uintptr_t next) {
    const __mmask16 k = logreg__avx512_mask(m);
    const __m512 wv = _mm512_maskz_loadu_ps(k, w), zero = _mm512_setzero_ps();
    size_t i, rows;
    for (i = 0; i < n; i += rows) {
        const float *x = X + i * ld;
        size_t d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, last;
        __m512 v0, v1, v2, v3, v4, v5, v6, v7;
        rows = n - i < 16 ? n - i : 16, last = rows - 1;
        d1 = (1 < last ? 1 : last) * ld, d2 = (2 < last ? 2 : last) * ld, d3 = (3 < last ? 3 : last) * ld;
        d4 = (4 < last ? 4 : last) * ld, d5 = (5 < last ? 5 : last) * ld, d6 = (6 < last ? 6 : last) * ld;
        d7 = (7 < last ? 7 : last) * ld, d8 = (8 < last ? 8 : last) * ld, d9 = (9 < last ? 9 : last) * ld;
        d10 = (10 < last ? 10 : last) * ld, d11 = (11 < last ? 11 : last) * ld, d12 = (12 < last ? 12 : last) * ld;
        d13 = (13 < last ? 13 : last) * ld, d14 = (14 < last ? 14 : last) * ld, d15 = last * ld;
        if (next) {
            uintptr_t q = next + sizeof(float) * i * ld;
            logreg__prefetch4(q, ld), logreg__prefetch4(q + 4 * sizeof(float) * ld, ld);
            logreg__prefetch4(q + 8 * sizeof(float) * ld, ld), logreg__prefetch4(q + 12 * sizeof(float) * ld, ld);
        }
#define LOGREG__ROW(d) _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, x + (d)), wv, zero)
        v0 = logreg__avx512_fold8(LOGREG__ROW(0), LOGREG__ROW(d8));
        v1 = logreg__avx512_fold8(LOGREG__ROW(d1), LOGREG__ROW(d9));
        v2 = logreg__avx512_fold8(LOGREG__ROW(d2), LOGREG__ROW(d10));
        v3 = logreg__avx512_fold8(LOGREG__ROW(d3), LOGREG__ROW(d11));
        v4 = logreg__avx512_fold8(LOGREG__ROW(d4), LOGREG__ROW(d12));
        v5 = logreg__avx512_fold8(LOGREG__ROW(d5), LOGREG__ROW(d13));
        v6 = logreg__avx512_fold8(LOGREG__ROW(d6), LOGREG__ROW(d14));
        v7 = logreg__avx512_fold8(LOGREG__ROW(d7), LOGREG__ROW(d15));
#undef LOGREG__ROW
        v0 = logreg__avx512_fold2(logreg__avx512_fold1(v0, v1), logreg__avx512_fold1(v2, v3));
        v4 = logreg__avx512_fold2(logreg__avx512_fold1(v4, v5), logreg__avx512_fold1(v6, v7));
        _mm512_mask_storeu_ps(z + i, logreg__avx512_mask(rows), _mm512_add_ps(logreg__avx512_fold4(v0, v4), _mm512_set1_ps(b)));
    }
}

/* z[i] = w·x_i + b. Four rows share each load of w; each row sums in two accumulators and the
   same reduction tree, so a row's z depends only on m, never on its neighbours or alignment.
   (Rows past n repeat row i; their sums are not stored.) next, if not 0, is the block after
   this one (same ld), prefetched into L2 line by line as this block's rows are read. */
LOGREG__AVX512 void logreg__avx512_dots(const float *X, size_t n, size_t m, size_t ld, const float *w, float b, float *z,
                                       uintptr_t next) {
    size_t i, j, rows;
    if (m <= LOGREG__AVX512_W) {
        logreg__avx512_dots_narrow(X, n, m, ld, w, b, z, next);
        return;
    }
    for (i = 0; i < n; i += rows) {
        const float *x0 = X + i * ld, *x1, *x2, *x3;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        __m128 s;
        rows = n - i < 4 ? n - i : 4;
        x1 = rows > 1 ? x0 + ld : x0, x2 = rows > 2 ? x0 + 2 * ld : x0, x3 = rows > 3 ? x0 + 3 * ld : x0;
        for (j = 0; j + 2 * LOGREG__AVX512_W <= m; j += 2 * LOGREG__AVX512_W) {
            __m512 w0 = _mm512_loadu_ps(w + j), w1 = _mm512_loadu_ps(w + j + LOGREG__AVX512_W);
            if (next) { /* 128 bytes of each row */
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
        _mm_mask_storeu_ps(z + i, (__mmask8)((1u << rows) - 1u), _mm_add_ps(s, _mm_set1_ps(b)));
    }
}

LOGREG__TARGET_AVX512 static unsigned logreg__avx512_residual(const float *X, size_t n, size_t m, size_t ld,
                                                             const float *w, float b, const float *y, float *r) {
    __mmask16 badz = 0, bady = 0;
    size_t i;
    LOGREG__FTZ_BEGIN
    logreg__avx512_dots(X, n, m, ld, w, b, r, logreg__ahead(X, n, ld));
    for (i = 0; i < n; i += LOGREG__AVX512_W) {
        __mmask16 k = logreg__avx512_mask(n - i);
        __m512 z = _mm512_maskz_loadu_ps(k, r + i), yv = _mm512_maskz_loadu_ps(k, y + i);
        badz |= logreg__avx512_nonfinite(z) & k;
        bady |= logreg__avx512_outside01(yv) & k;
        _mm512_mask_storeu_ps(r + i, k, logreg__avx512_residual_e(z, logreg__avx512_exp_nabs(z), yv));
    }
    LOGREG__FTZ_END
    return (badz ? LOGREG__BAD_Z : 0u) | (bady ? logreg__label_block_flags(y, n) : 0u);
}

/* acc[j] += Σ r_i x_ij for rows of at most 2 vectors: the sums stay in registers for the
   whole block, one chain per row mod 4, so rows do not wait on each other's FMA latency.
   next, if not 0, is the block after this one, prefetched into L2 four rows at a time. */
LOGREG__AVX512 void logreg__avx512_axpy_narrow(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                              uintptr_t next) {
    __m512 g0 = _mm512_setzero_ps(), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
    size_t i, k = m < LOGREG__AVX512_W ? m : LOGREG__AVX512_W, k2 = m - k; /* lanes in the first and second vector */
    for (i = 0; i + 4 <= n; i += 4) {
        const float *x = X + i * ld;
        if (next) {
            logreg__prefetch4(next + sizeof(float) * i * ld, ld);
            if (k2) logreg__prefetch4(next + sizeof(float) * (i * ld + k), ld);
        }
        __m512 r0 = _mm512_set1_ps(r[i]), r1 = _mm512_set1_ps(r[i + 1]), r2 = _mm512_set1_ps(r[i + 2]), r3 = _mm512_set1_ps(r[i + 3]);
        g0 = _mm512_fmadd_ps(r0, logreg__avx512_load(x, k), g0), g1 = _mm512_fmadd_ps(r1, logreg__avx512_load(x + ld, k), g1);
        g2 = _mm512_fmadd_ps(r2, logreg__avx512_load(x + 2 * ld, k), g2), g3 = _mm512_fmadd_ps(r3, logreg__avx512_load(x + 3 * ld, k), g3);
        if (k2) {
            h0 = _mm512_fmadd_ps(r0, logreg__avx512_load(x + k, k2), h0), h1 = _mm512_fmadd_ps(r1, logreg__avx512_load(x + ld + k, k2), h1);
            h2 = _mm512_fmadd_ps(r2, logreg__avx512_load(x + 2 * ld + k, k2), h2), h3 = _mm512_fmadd_ps(r3, logreg__avx512_load(x + 3 * ld + k, k2), h3);
        }
    }
    for (; i < n; i++) {
        g0 = _mm512_fmadd_ps(_mm512_set1_ps(r[i]), logreg__avx512_load(X + i * ld, k), g0);
        if (k2) h0 = _mm512_fmadd_ps(_mm512_set1_ps(r[i]), logreg__avx512_load(X + i * ld + k, k2), h0);
    }
    logreg__avx512_store(acc, k, _mm512_add_ps(logreg__avx512_load(acc, k), _mm512_add_ps(_mm512_add_ps(g0, g1), _mm512_add_ps(g2, g3))));
    if (k2) logreg__avx512_store(acc + k, k2, _mm512_add_ps(logreg__avx512_load(acc + k, k2), _mm512_add_ps(_mm512_add_ps(h0, h1), _mm512_add_ps(h2, h3))));
}

/* acc[j] += Σ r_i x_ij, rows in order (so the sums round as in the plain loop): eight vectors
   of acc stay in registers while up to sixteen rows are added. next, if not 0, is the address of
   the block that comes after this one (same ld): its lines are prefetched into L2 as this block's
   are read, so memory keeps streaming while this block is worked on from cache. */
LOGREG__AVX512 void logreg__avx512_axpy_rows(const float *X, size_t n, size_t m, size_t ld, const float *r, float *acc,
                                       uintptr_t next) {
    const size_t W = LOGREG__AVX512_W;
    size_t i0, i, j, rows;
    for (i0 = 0; i0 < n; i0 += rows) {
        rows = n - i0 < 16 ? n - i0 : 16;
        for (j = 0; j + 8 * W <= m; j += 8 * W) {
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
        for (; j < m; j += W) { /* the last few vectors, one at a time (one prefetch per 64 bytes) */
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

/* z -> r = sw (σ(z) - y) in place over one block; adds Σ sw·BCE, Σ r, Σ sw to s. */
LOGREG__AVX512 unsigned logreg__avx512_loss_residual(float *z, const float *y, const float *sw, size_t n,
                                                     int want_loss, double s[3]) {
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 ls = _mm512_setzero_ps(), rs = ls, ws = ls;
    __mmask16 badz = 0, bady = 0, badw = 0;
    size_t i;
    for (i = 0; i < n; i += LOGREG__AVX512_W) {
        __mmask16 k = logreg__avx512_mask(n - i);
        __m512 zv = _mm512_maskz_loadu_ps(k, z + i), yv = _mm512_maskz_loadu_ps(k, y + i);
        __m512 wv = sw ? _mm512_maskz_loadu_ps(k, sw + i) : _mm512_maskz_mov_ps(k, one);
        __m512 e = logreg__avx512_exp_nabs(zv);
        __m512 rv = _mm512_mul_ps(logreg__avx512_residual_e(zv, e, yv), wv);
        badz |= logreg__avx512_nonfinite(zv) & k;
        bady |= logreg__avx512_outside01(yv) & k;
        if (sw)
            badw |= ~(_mm512_cmp_ps_mask(wv, _mm512_setzero_ps(), _CMP_GE_OQ) &
                      _mm512_cmp_ps_mask(wv, _mm512_set1_ps(FLT_MAX), _CMP_LE_OQ)) & k;
        if (want_loss) { /* ln(1+e^-|z|) + |z| (z >= 0 ? 1-y : y): no cancellation */
            __mmask16 pos = _mm512_cmp_ps_mask(zv, _mm512_setzero_ps(), _CMP_GE_OQ);
            __m512 c = _mm512_mask_blend_ps(pos, yv, _mm512_sub_ps(one, yv));
            __m512 l = _mm512_fmadd_ps(_mm512_abs_ps(zv), c, logreg__avx512_log1p(e));
            ls = _mm512_fmadd_ps(l, wv, ls); /* wv is 0 past n */
        }
        rs = _mm512_add_ps(rs, rv);
        ws = _mm512_add_ps(ws, wv);
        _mm512_mask_storeu_ps(z + i, k, rv);
    }
    if (want_loss) s[0] += logreg__avx512_hsum(ls);
    s[1] += logreg__avx512_hsum(rs);
    s[2] += logreg__avx512_hsum(ws);
    return (badz ? LOGREG__BAD_Z : 0u) | (bady ? logreg__label_block_flags(y, n) : 0u) |
           (badw ? logreg__weight_block_flags(sw, n) : 0u);
}

LOGREG__TARGET_AVX512 static unsigned logreg__avx512_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                                              const float *y, const float *sw, const float *w,
                                                              float b, int want_loss, float *acc, double s[3], const float *next) {
    float z[LOGREG__BLOCK_MAX];
    unsigned bad;
    LOGREG__FTZ_BEGIN
    LOGREG_ASSERT(n <= LOGREG__BLOCK_MAX);
    logreg__avx512_dots(X, n, m, ld, w, b, z, (uintptr_t)next);
    bad = logreg__avx512_loss_residual(z, y, sw, n, want_loss, s);
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
    logreg__avx512_dots(X, n, m, ld, w, b, p, logreg__ahead(X, n, ld));
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
