/* What a 64-byte line of X costs the core, by where it comes from and how often it is loaded:
   the bound behind G5's figures (README, bench/tuning.md). Cycles assume the clock given (GHz, default 3.65).
     gcc -O3 bench/ab/lines.c -o /tmp/lines && /tmp/lines [GHz]
   Needs AVX-512F. Each pass XORs every 64-byte vector into one of 16 sums (integer ops, so the
   FP pipes are not what limits it). */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
#define XOR(a, p) a = _mm512_xor_si512(a, _mm512_load_si512(p))
/* reps loads of each line of x, plus extra loads a line from l, a 16 KiB buffer that stays in L1 */
#define PASS(name, reps, extra)                                                                    \
    __attribute__((target("avx512f"), noinline)) static int name(const int *x, size_t n, const int *l) { \
        __m512i a[16];                                                                             \
        size_t i, o = 0;                                                                           \
        int r, u, e, q, t;                                                                         \
        for (t = 0; t < 16; t++) a[t] = _mm512_setzero_si512();                                    \
        for (i = 0; i < n; i += 64, o = (o + 64) & 4095) {                                         \
            q = 0;                                                                                 \
            for (r = 0; r < reps; r++)                                                             \
                for (u = 0; u < 4; u++, q++) XOR(a[q & 15], x + i + 16 * u);                       \
            for (e = 0; e < extra; e++, q++) XOR(a[q & 15], l + o + 16 * (e & 3));                 \
        }                                                                                          \
        for (t = 1; t < 16; t++) a[0] = _mm512_xor_si512(a[0], a[t]);                              \
        return _mm512_reduce_add_epi32(a[0]);                                                      \
    }
PASS(once, 1, 0)
PASS(twice, 2, 0)
PASS(once_l1, 1, 4)
int main(int argc, char **argv) {
    static const size_t kib[] = {16, 512, 1024};
    static const char *what[] = {"each line loaded once", "each line loaded twice in a row", "once, plus one L1 load a line"};
    int (*pass[])(const int *, size_t, const int *) = {once, twice, once_l1};
    double ghz = argc > 1 ? atof(argv[1]) : 3.65, t[21];
    int *x = aligned_alloc(64, 1 << 20), *l = aligned_alloc(64, 16384), k, s, j, r, reps;
    volatile int sink;
    for (j = 0; j < (1 << 18); j++) x[j] = j;
    for (j = 0; j < 4096; j++) l[j] = j;
    for (s = 0; s < 3; s++)
        for (k = 0; k < 3; k++) {
            size_t n = kib[s] * 256, lines = kib[s] * 16;
            reps = (int)(1e8 / (kib[s] * 1024));
            for (j = 0; j < 21; j++) {
                double t0 = now();
                for (r = 0; r < reps; r++) sink = pass[k](x, n, l);
                t[j] = (now() - t0) / reps;
            }
            qsort(t, 21, sizeof t[0], cmpd);
            printf("%5zu KiB  %-32s %.3f ns  %.2f cycles a line\n", kib[s], what[k], t[10] / lines * 1e9, t[10] / lines * 1e9 * ghz);
        }
    (void)sink;
    return 0;
}
