/* Exhaustive check of logreg_sigmoid: all 2^32 floats, on every available path (or the paths
   named on the command line), against double precision. Per path it prints the max ULP error
   where σ(z) >= FLT_MIN, the input where it occurs, and how often the output decreases as the
   input increases; it checks NaN -> NaN, outputs in [0, 1], the ULP bound (4) and the absolute
   bound (FLT_MIN) below FLT_MIN. Uses every core.
   usage: sigmoid_sweep [--stride=K] [path ...]   (K > 1: every K-th float only, for emulators;
   then the decrease count is over the sample and says little) */
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK 65536
#define MAX_PATHS 4
#define MAX_THREADS 64

/* k-th float in increasing value order: -NaNs, -Inf ... -0, +0 ... +Inf, +NaNs */
static uint32_t bits_at(uint64_t k) {
    return k < 0x80000000u ? (uint32_t)(0xffffffffu - k) : (uint32_t)(k - 0x80000000u);
}
static float from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Reference in double. A different formula from the scalar path's 1/(1+exp(-z)) for z < 0. */
static double ref_sigmoid(float zf) {
    double z = zf;
    if (fabs(z) < 0x1p-20) return 0.5 + 0.25 * z; /* next term z^3/48 < 2^-64 */
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    {
        double e = exp(z);
        return e / (1.0 + e);
    }
}

typedef struct stats {
    double max_ulp;
    float worst_z;
    uint64_t decreases, bad_nan, bad_range, bad_tiny, have_first;
    float first, last; /* first and last non-NaN output in this range */
} stats;

static uint64_t stride = 1;

typedef struct job {
    uint64_t k0, k1;
    int npaths;
    const logreg__kernels *paths[MAX_PATHS];
    stats st[MAX_PATHS];
} job;

static void *run(void *arg) {
    job *jb = (job *)arg;
    float *z = (float *)malloc(CHUNK * sizeof(float)), *out = (float *)malloc(CHUNK * sizeof(float));
    double *ref = (double *)malloc(CHUNK * sizeof(double));
    uint64_t k, i, len;
    int p;
    for (k = jb->k0; k < jb->k1; k += len * stride) {
        len = (jb->k1 - k + stride - 1) / stride < CHUNK ? (jb->k1 - k + stride - 1) / stride : CHUNK;
        for (i = 0; i < len; i++) {
            z[i] = from_bits(bits_at(k + i * stride));
            ref[i] = z[i] != z[i] ? 0.0 : ref_sigmoid(z[i]);
        }
        for (p = 0; p < jb->npaths; p++) {
            stats *s = &jb->st[p];
            jb->paths[p]->sigmoid(z, out, (size_t)len);
            for (i = 0; i < len; i++) {
                float o = out[i];
                if (z[i] != z[i]) {
                    s->bad_nan += o == o;
                    continue;
                }
                if (!(o >= 0.0f && o <= 1.0f)) {
                    s->bad_range++;
                    continue;
                }
                if (s->have_first && o < s->last) s->decreases++;
                if (!s->have_first) s->first = o, s->have_first = 1;
                s->last = o;
                if (ref[i] >= FLT_MIN) {
                    int ex;
                    double ulp, err;
                    frexp(ref[i], &ex);
                    ulp = ldexp(1.0, ex - 24);
                    err = fabs((double)o - ref[i]) / ulp;
                    if (err > s->max_ulp) s->max_ulp = err, s->worst_z = z[i];
                } else if (fabs((double)o - ref[i]) > FLT_MIN) {
                    s->bad_tiny++;
                }
            }
        }
    }
    free(z);
    free(out);
    free(ref);
    return NULL;
}

int main(int argc, char **argv) {
    const logreg__kernels *paths[MAX_PATHS];
    int npaths = 0, p, t, nthreads;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    static job jobs[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    uint64_t total = 1ull << 32, step;
    int isa;
    int named = 0;
    for (t = 1; t < argc; t++) {
        if (strncmp(argv[t], "--stride=", 9) == 0) stride = strtoull(argv[t] + 9, NULL, 10);
        else named = 1;
    }
    if (stride < 1) stride = 1;
    for (isa = LOGREG_ISA_SCALAR; isa <= LOGREG_ISA_NEON; isa++) {
        int want = !named;
        for (t = 1; t < argc; t++) want |= strcmp(argv[t], logreg_isa_name((logreg_isa)isa)) == 0;
        if (want && logreg_isa_available((logreg_isa)isa)) paths[npaths++] = logreg__table((logreg_isa)isa);
    }
    nthreads = ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu;
    step = (total / stride + (uint64_t)nthreads - 1) / (uint64_t)nthreads * stride; /* a multiple of stride */
    for (t = 0; t < nthreads; t++) {
        jobs[t].k0 = step * (uint64_t)t;
        jobs[t].k1 = step * (uint64_t)(t + 1) < total ? step * (uint64_t)(t + 1) : total;
        jobs[t].npaths = npaths;
        for (p = 0; p < npaths; p++) jobs[t].paths[p] = paths[p];
        pthread_create(&tid[t], NULL, run, &jobs[t]);
    }
    for (t = 0; t < nthreads; t++) pthread_join(tid[t], NULL);
    for (p = 0; p < npaths; p++) {
        stats all;
        memset(&all, 0, sizeof all);
        for (t = 0; t < nthreads; t++) {
            stats *s = &jobs[t].st[p];
            if (s->max_ulp > all.max_ulp) all.max_ulp = s->max_ulp, all.worst_z = s->worst_z;
            all.decreases += s->decreases, all.bad_nan += s->bad_nan;
            all.bad_range += s->bad_range, all.bad_tiny += s->bad_tiny;
            if (s->have_first) {
                if (all.have_first && s->first < all.last) all.decreases++;
                all.last = s->last, all.have_first = 1;
            }
        }
        if (stride == 1)
            printf("sigmoid %-6s all 2^32 floats: max %.3f ULP at z = %.9g (%a), %llu decreases\n",
                   logreg_isa_name(paths[p]->isa), all.max_ulp, all.worst_z, all.worst_z,
                   (unsigned long long)all.decreases);
        else
            printf("sigmoid %-6s every %llu-th float: max %.3f ULP at z = %.9g (%a)\n", logreg_isa_name(paths[p]->isa),
                   (unsigned long long)stride, all.max_ulp, all.worst_z, all.worst_z);
        CHECK(all.bad_nan == 0, "%s: %llu NaN inputs gave a non-NaN", logreg_isa_name(paths[p]->isa),
              (unsigned long long)all.bad_nan);
        CHECK(all.bad_range == 0, "%s: %llu outputs outside [0, 1]", logreg_isa_name(paths[p]->isa),
              (unsigned long long)all.bad_range);
        CHECK(all.bad_tiny == 0, "%s: %llu outputs off by more than FLT_MIN where sigma < FLT_MIN",
              logreg_isa_name(paths[p]->isa), (unsigned long long)all.bad_tiny);
        CHECK(all.max_ulp <= 4.0, "%s: max error %.3f ULP > 4", logreg_isa_name(paths[p]->isa), all.max_ulp);
        {
            float sp[3] = {-INFINITY, INFINITY, NAN}, o[3];
            paths[p]->sigmoid(sp, o, 3);
            CHECK(o[0] == 0.0f && o[1] == 1.0f && o[2] != o[2], "%s: sigmoid(-inf, inf, nan) = %g %g %g",
                  logreg_isa_name(paths[p]->isa), o[0], o[1], o[2]);
        }
    }
    CHECK(npaths > 0, "no path to sweep");
    return test_finish();
}
