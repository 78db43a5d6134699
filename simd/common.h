/* Implementation internals shared by every ISA file: hooks, target macros, the kernel table. */
#include "api.h"

#include <float.h>
#include <math.h>
#include <string.h>

#if !defined(LOGREG_MALLOC) || !defined(LOGREG_FREE)
#include <stdlib.h>
#endif
#ifndef LOGREG_MALLOC
#define LOGREG_MALLOC(size) malloc(size)
#endif
#ifndef LOGREG_FREE
#define LOGREG_FREE(ptr) free(ptr)
#endif
#ifndef LOGREG_ASSERT
#include <assert.h>
#define LOGREG_ASSERT(x) assert(x)
#endif

#if defined(__cplusplus)
#define LOGREG__RESTRICT __restrict
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define LOGREG__RESTRICT restrict
#else
#define LOGREG__RESTRICT
#endif

/* Which SIMD paths this build compiles in. LOGREG_NO_SIMD leaves only the scalar path. */
#if !defined(LOGREG_NO_SIMD) && (defined(__x86_64__) || defined(__i386__) || defined(_M_X64)) && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 5))
#define LOGREG__X86 1
#if defined(__cplusplus) && !defined(__clang__) && __GNUC__ < 13
/* g++ 12's AVX-512 headers trip -Wmaybe-uninitialized (_mm512_undefined_ps, GCC bug 105593) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define LOGREG__DIAGNOSTIC_PUSHED
#endif
#include <immintrin.h>
#define LOGREG__TARGET_AVX2 __attribute__((target("avx2,fma")))
#define LOGREG__TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))
#if !defined(LOGREG_NO_AVX512)
#define LOGREG__X86_AVX512 1
#endif
#endif
#if !defined(LOGREG_NO_SIMD) && defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
#define LOGREG__NEON 1
#define LOGREG__TARGET_NEON
#endif
/* 32-bit ARM: NEON with VFPv4's fused multiply-add (Cortex-A7, A15 and later), found at run time
   (getauxval on Linux) unless the compiler's flags already promise it; per-function targets need
   GCC 8 or later, other compilers get the path only from flags such as -mfpu=neon-vfpv4. */
#if !defined(LOGREG_NO_SIMD) && defined(__arm__) && defined(__ARM_FP) && \
    ((defined(__ARM_NEON) && defined(__ARM_FEATURE_FMA)) ||                   \
     (defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8))
#define LOGREG__NEON 1
#define LOGREG__NEON32 1
#if defined(__ARM_NEON) && defined(__ARM_FEATURE_FMA)
#define LOGREG__NEON32_BY_FLAGS 1 /* no target attributes, no run-time probe */
#define LOGREG__TARGET_NEON
#else
#define LOGREG__TARGET_NEON __attribute__((target("fpu=neon-vfpv4")))
#endif
#endif
#if defined(LOGREG__NEON)
#include <arm_neon.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LOGREG__INLINE static inline __attribute__((always_inline))
#define LOGREG__ALWAYS_INLINE __attribute__((always_inline)) /* see LOGREG__EACH4 */
#define LOGREG__UNUSED __attribute__((unused))
#define LOGREG__PREFETCH_L2(p) __builtin_prefetch((p), 0, 2)
#else
#define LOGREG__PREFETCH_L2(p) ((void)(p))
#define LOGREG__INLINE static inline
#define LOGREG__ALWAYS_INLINE
#define LOGREG__UNUSED
#endif

/* Rows per block of loss_grad: the block is read twice (dot products, then r_i x_i into the
   gradient), so it should stay in L1/L2 in between. LOGREG__BLOCK_MAX bounds the stack
   buffer for the block's z. */
#ifndef LOGREG_BLOCK_BYTES
#define LOGREG_BLOCK_BYTES (24 * 1024)
#endif
#define LOGREG__BLOCK_MAX 256
/* loss_grad, residual and predict_proba prefetch a block ahead only when X is larger than this:
   smaller data is likely still in cache from the last pass, where the prefetches are only extra
   instructions (and cost G5, 1 MiB, 18 % on the EPYC). loss_grad prefetches the next block in
   both of its loops over a block, the dot products and the gradient: a line asked for twice
   costs one instruction, while asking in one loop only left memory idle during the other (G1 on
   the EPYC, scratch harness: 7.5 ms against 11.2 ms with the dot products' prefetch alone). */
#ifndef LOGREG_PREFETCH_BYTES
#define LOGREG_PREFETCH_BYTES (2u << 20)
#endif
LOGREG__INLINE int logreg__prefetches(size_t n, size_t ld) {
    return n * ld > LOGREG_PREFETCH_BYTES / sizeof(float);
}
/* Rows per loss_grad block: about LOGREG_BLOCK_BYTES of X, rounded to the nearest multiple of
   the 4 rows the kernels take at a time (Fashion-MNIST's 784 floats: 8 rows, 8% faster than 4). */
LOGREG__INLINE size_t logreg__block_rows(size_t m) {
    size_t rows = (LOGREG_BLOCK_BYTES / (m * sizeof(float)) + 2) / 4 * 4;
    if (rows < 4) rows = 4;
    return rows < LOGREG__BLOCK_MAX ? rows : LOGREG__BLOCK_MAX;
}
/* For the kernels that read X once (residual, predict_proba): the address one block of rows
   ahead of X, which their dot products prefetch as they go (at least the 4 rows they take at a
   time: 2 rows ahead made 4,096-float rows 18 % slower); 0 when X fits in LOGREG_PREFETCH_BYTES. */
LOGREG__INLINE uintptr_t logreg__ahead(const float *X, size_t n, size_t ld) {
    return logreg__prefetches(n, ld) ? (uintptr_t)X + sizeof(float) * logreg__block_rows(ld) * ld : 0;
}
/* The gradient loops take a block's columns in chunks of c floats (then the last few vectors):
   from the end when rows have LOGREG__BACKWARD_M floats or more, since a block of four such rows
   is larger than L1 and the dot products just left its last columns there (AMD EPYC, scratch
   harness, AVX-512: 2,000 x 4,096 0.93-0.95x, 4,000 x 2,048 0.95-0.99x, 1,000 x 8,192 0.94x the
   time; AVX2 0.94-0.99x; narrower rows gained in some shapes and lost up to 10 % in others).
   The first chunk's column, and the step to the next (mod 2^N): */
#define LOGREG__BACKWARD_M 2048
LOGREG__INLINE size_t logreg__chunk0(size_t m, size_t c) { return m >= LOGREG__BACKWARD_M ? (m / c - 1) * c : 0; }
LOGREG__INLINE size_t logreg__chunk_step(size_t m, size_t c) { return m >= LOGREG__BACKWARD_M ? 0 - c : c; }
/* Float partial gradient sums are moved into double after at most this many rows, which keeps
   the sum over 10^7 rows within 1e-5 relative (float error grows with the rows per partial). */
#define LOGREG__FLUSH_ROWS 256

/* Problems a kernel saw in its inputs, as bits; the drivers turn them into one status. */
#define LOGREG__BAD_Z 1u     /* a z came out NaN/±Inf: non-finite X, or overflow */
#define LOGREG__BAD_Y 2u     /* NaN/±Inf label */
#define LOGREG__BAD_LABEL 4u /* finite label outside [0, 1] */
#define LOGREG__BAD_SW 8u    /* NaN/±Inf sample weight */
#define LOGREG__NEG_SW 16u   /* negative sample weight */

/* One ISA's kernels. Every ISA file defines the same five, in this order, under the same names
   (logreg__<isa>_<kernel>), and ends with its table. */
typedef struct logreg__kernels {
    logreg_isa isa;
    /* a[i] = σ(z[i]), i < n; a may equal z */
    void (*sigmoid)(const float *z, float *a, size_t n);
    /* r[i] = σ(w·x_i + b) - y[i], i < n */
    unsigned (*residual)(const float *X, size_t n, size_t m, size_t ld, const float *w, float b,
                         const float *y, float *r);
    /* acc[j] += Σ_i r[i] x_i[j], i < n */
    void (*grad_accumulate)(const float *X, size_t n, size_t m, size_t ld, const float *r,
                            float *acc);
    /* one block, n <= LOGREG__BLOCK_MAX rows, with r_i = sw_i (σ(z_i) - y_i):
       acc[j] += Σ r_i x_i[j]; s[0] += Σ sw_i BCE_i; s[1] += Σ r_i; s[2] += Σ sw_i.
       sw == NULL means all ones; want_loss == 0 may leave s[0] alone. next, if not NULL, is
       the block that comes after this one (same ld), prefetched into L2 meanwhile. */
    unsigned (*loss_grad)(const float *X, size_t n, size_t m, size_t ld, const float *y,
                          const float *sw, const float *w, float b, int want_loss, float *acc,
                          double s[3], const float *next);
    /* p[i] = σ(w·x_i + b), i < n */
    unsigned (*predict_proba)(const float *X, size_t n, size_t m, size_t ld, const float *w,
                              float b, float *p);
} logreg__kernels;

/* s once for each j = 0..3, written out: the SIMD sigmoid takes each step for four vectors
   before the next step, since one vector's steps form a single dependency chain (four chains
   side by side: AVX2 1.25x, AVX-512 1.09x faster on an AMD EPYC). Helpers that take such arrays,
   or a constant that picks their loads, are always inlined (LOGREG__ALWAYS_INLINE on x86, where
   LOGREG__INLINE is not used), so that the arrays live in registers and the choice is made once. */
#define LOGREG__EACH4(s) do { size_t j; j = 0; s; j = 1; s; j = 2; s; j = 3; s; } while (0)

/* b in lane 0: the SIMD dot products start row i's first accumulator from (b, 0, 0, ...), so b
   joins the sum with the first product, x_i0 w_0 + b, instead of being added to the finished sum.
   Added last, b meets sums whose low bits sit on the same float grid row after row, and rounds the
   same way each time: at an optimum (bench/ab/optimum.c, 10^6 x 8) that bias in z alone gave the
   gradient an error of 1.2-1.3e-9 on AVX2 and AVX-512, a fifth of its size; taken in first it
   rounds like the other terms, and the error is 4.8-5.4e-11. It costs nothing: the first
   product is an FMA instead of a multiply, or the accumulator starts from b instead of 0. */
#define LOGREG__ONE_BITS 0x3f800000u /* 1.0f */
#define LOGREG__MAX_BITS 0x7f7fffffu /* FLT_MAX */
LOGREG__INLINE uint32_t logreg__bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Four rows of the block after this one, from p (floats, rows ld apart), into L2: memory keeps
   streaming while the current block is worked on from cache. */
LOGREG__INLINE void logreg__prefetch4(uintptr_t p, size_t ld) {
    const char *q = (const char *)p;
    LOGREG__PREFETCH_L2(q), LOGREG__PREFETCH_L2(q + sizeof(float) * ld);
    LOGREG__PREFETCH_L2(q + 2 * sizeof(float) * ld), LOGREG__PREFETCH_L2(q + 3 * sizeof(float) * ld);
}

/* bytes (a constant: 128, 256 or 512) from p, in the block after this one, into L2: one prefetch
   per 64-byte line, written out, since compilers keep a loop here. */
LOGREG__INLINE void logreg__prefetch_span(uintptr_t p, size_t bytes) {
    const char *q = (const char *)p;
    LOGREG__PREFETCH_L2(q), LOGREG__PREFETCH_L2(q + 64);
    if (bytes > 128) LOGREG__PREFETCH_L2(q + 128), LOGREG__PREFETCH_L2(q + 192);
    if (bytes > 256) {
        LOGREG__PREFETCH_L2(q + 256), LOGREG__PREFETCH_L2(q + 320);
        LOGREG__PREFETCH_L2(q + 384), LOGREG__PREFETCH_L2(q + 448);
    }
}

/* count lines (64 bytes each) from p, in the block after this one, into L2. */
LOGREG__INLINE void logreg__prefetch_lines(uintptr_t p, size_t count) {
    for (; count > 0; count--, p += 64) LOGREG__PREFETCH_L2((const char *)p);
}

/* p rounded up to a multiple of 64 bytes: kernel scratch starts on a cache line, since a vector
   load that straddles two lines costs twice (the allocations carry 64 bytes of slack). */
LOGREG__INLINE float *logreg__align64(void *p) {
    return (float *)(((uintptr_t)p + 63u) & ~(uintptr_t)63u);
}

/* Bit tests, so that -ffast-math in the user's flags cannot fold them away. */
LOGREG__INLINE int logreg__finite(float x) { return (logreg__bits(x) & 0x7f800000u) != 0x7f800000u; }
LOGREG__INLINE int logreg__finite_d(double x) { return x - x == 0.0; }
/* bit 31 set when x is ±Inf or NaN (exponent bits all ones, plus one, carry into the sign bit):
   OR-ed over many values without booleans, which compilers vectorize */
LOGREG__INLINE uint32_t logreg__inf_bit(float x) { return (logreg__bits(x) & 0x7f800000u) + 0x00800000u; }

/* The residual and the loss take e = e^-|z| from the sigmoid's exponential below, |z| clamped to
   SIG_TMAX (AVX-512, where e^-88 flushes to 0) or SIG_TMAX - 1 (AVX2, NEON: e^-87 = 1.6e-38,
   an error below 2e-38 in r and the loss), and s = σ(-|z|) = e/(1+e) with an exact residual:
   q ≈ num/(1+e), then q += (num - q - e q)/(1+e): both subtractions are exact, so the rounding
   of 1+e never shows. The kernels run with FTZ/DAZ set, so no denormal ever slows them; MXCSR
   (FPCR) is restored on return. */
#define LOGREG__LOG2E 1.44269502f
/* The SIMD sigmoid kernels take σ(z) = 1/(1+E), E = e^-t, t = z clamped to [-SIG_TMAX, SIG_TMAX]:
   no select by the sign of z. y ≈ 1/(1+E) is a reciprocal estimate, then σ = y (1 + ρ + ...)
   to ρ (AVX-512), ρ² (AVX2) or ρ³ (NEON), ρ = 1 - (1+E) y computed as (1 - E y) - y, which
   never rounds 1+E: the subtraction is exact, and 1 - E y rounds a number near y when E > 1
   (z < 0) and within 2^-25 when E <= 1, where y, constant between steps of the estimate, keeps
   σ monotone. E = 2^n e^-s with n = round(-t log2e) to 1/N (N = 16 on AVX-512, 8 on AVX2 and
   NEON), s = t + n LN2F in one FMA, which is exact (n N is an integer below 2^11 and |s| <= ln2/2N
   < 2^-4, so s fits in 24 bits), and 2^n = 2^floor(n) T_k from a table of T_k = 2^(k/N) rounded
   to float, k = the low bits of n N, with a second table of their relative rounding errors d_k:
   E = 2^floor(n) (T_k + T_k (d_k - n LN2_ERR + e^-s - 1)), the rest of n ln2 (below 2^-21.9)
   joining d_k off the critical path (the dropped product (e^-s - 1) n LN2_ERR is below 2^-26.4),
   e^-s - 1 ≈ -s + s^2 h(s), h fitted to (e^-s - 1 + s)/s^2 (Chebyshev: 2^-27.7 relative with
   AVX-512's degree 1, 2^-31.5 with degree 2). */
#define LOGREG__LN2F 0.693147182f          /* ln2 rounded to float */
#define LOGREG__LN2_ERR (-1.90465432e-09f) /* ln2 - LN2F */
#define LOGREG__SIG_TMAX 88.0f           /* σ(-88) < FLT_MIN, e^88 < FLT_MAX */
#define LOGREG__ROUND_MAGIC16 786432.0f  /* 0x1.8p19: rounds to 1/16 */
#define LOGREG__ROUND_MAGIC8 1572864.0f  /* 0x1.8p20: rounds to 1/8 */
#define LOGREG__EXP16_H0 0.500009775f
#define LOGREG__EXP16_H1 (-0.166668624f)
#define LOGREG__EXP8_H1 (-0.166678399f)
#define LOGREG__EXP8_H2 0.04166862f
/* The loss from z, never from a rounded σ: BCE = ln(1+e) + |z| (z >= 0 ? 1-y : y), e = e^-|z|,
   a sum of two non-negative terms. ln(1+e), e in [0, 1], is k ln2 + 2 atanh(s) with
   k = (e > sqrt2 - 1), s = (e - k)/(e + 2 + k) in [-0.1716, 0.1716], which never rounds 1+e;
   2 atanh(s) = 2s + s^3 (2/3 + s^2 (2/5 + s^2 (2/7 + s^2 2/9))), truncation 2e-10 relative. */
#define LOGREG__SQRT2_M1 0.414213568f
#define LOGREG__LN2 0.693147182f
#define LOGREG__LOG_C3 0.666666667f
#define LOGREG__LOG_C5 0.4f
#define LOGREG__LOG_C7 0.285714286f
#define LOGREG__LOG_C9 0.222222222f

/* Flush-to-zero (and denormals-are-zero) for the body of a SIMD kernel, the caller's
   setting back after it: MXCSR FTZ|DAZ on x86, FPCR.FZ on AArch64, FPSCR.FZ on 32-bit ARM. */
#if defined(LOGREG__X86)
#define LOGREG__FTZ_BEGIN unsigned logreg__csr = _mm_getcsr(); _mm_setcsr(logreg__csr | 0x8040u);
#define LOGREG__FTZ_END _mm_setcsr(logreg__csr);
#elif defined(LOGREG__NEON32) /* NEON always flushes; FPSCR.FZ makes VFP's scalar code do the same */
#define LOGREG__FTZ_BEGIN uint32_t logreg__csr; __asm__ __volatile__("vmrs %0, fpscr" : "=r"(logreg__csr)); \
    __asm__ __volatile__("vmsr fpscr, %0" : : "r"(logreg__csr | (1u << 24)));
#define LOGREG__FTZ_END __asm__ __volatile__("vmsr fpscr, %0" : : "r"(logreg__csr));
#elif defined(LOGREG__NEON)
#define LOGREG__FTZ_BEGIN uint64_t logreg__csr; __asm__ __volatile__("mrs %0, fpcr" : "=r"(logreg__csr)); \
    __asm__ __volatile__("msr fpcr, %0" : : "r"(logreg__csr | (1ull << 24)));
#define LOGREG__FTZ_END __asm__ __volatile__("msr fpcr, %0" : : "r"(logreg__csr));
#endif
