/* What the programs in bench/ab share: the clock, the sort order for medians, and their data. */
#include <stdlib.h>
#include <time.h>
static inline double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
/* for qsort of doubles, to take medians */
static inline int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
/* X (n x m, ld m) in [-0.5, 0.5), labels 0/1 and small weights, the same for a given n and m */
static inline void fill(float *X, float *y, float *w, size_t n, size_t m) {
    size_t i;
    srand(7);
    for (i = 0; i < n * m; i++) X[i] = (float)(rand() & 1023) / 1024.f - 0.5f;
    for (i = 0; i < n; i++) y[i] = (float)(rand() & 1);
    for (i = 0; i < m; i++) w[i] = 0.01f * (float)((int)(i % 7) - 3);
}
