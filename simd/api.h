/* Public API: the declarations every user sees. The contract is fixed by API.md. */
#ifndef LOGREG_H
#define LOGREG_H

#include <stddef.h>
#include <stdint.h>

#define LOGREG_VERSION_MAJOR 0
#define LOGREG_VERSION_MINOR 1
#define LOGREG_VERSION_PATCH 0
#define LOGREG_VERSION "0.1.0"

#ifndef LOGREG_API
#ifdef LOGREG_STATIC
#if defined(__GNUC__) || defined(__clang__)
#define LOGREG_API static __attribute__((unused))
#else
#define LOGREG_API static
#endif
#else
#define LOGREG_API extern
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum logreg_status {
    LOGREG_OK = 0,
    LOGREG_ERR_ARG,         /* NULL where data is needed, m == 0, ld < m, n*ld overflows, bad option */
    LOGREG_ERR_NONFINITE,   /* NaN or ±Inf in X, y, sample weights, w, b or options */
    LOGREG_ERR_LABEL,       /* a label outside [0, 1] */
    LOGREG_ERR_NOMEM,
    LOGREG_ERR_DIVERGED,    /* training became non-finite; w, b keep the last finite iterate */
    LOGREG_ERR_UNSUPPORTED, /* e.g. forcing an ISA this CPU or build lacks */
    LOGREG_ERR_IO,          /* a model file could not be opened, read, written or renamed */
    LOGREG_ERR_FORMAT,      /* not a valid model file: magic, size, dimensions or checksum */
    LOGREG_ERR_VERSION      /* a model file of a format version this build cannot read */
} logreg_status;
LOGREG_API const char *logreg_status_string(logreg_status s);   /* never NULL */

typedef enum logreg_isa {
    LOGREG_ISA_AUTO = 0, LOGREG_ISA_SCALAR, LOGREG_ISA_AVX2, LOGREG_ISA_AVX512, LOGREG_ISA_NEON
} logreg_isa;
LOGREG_API logreg_isa    logreg_isa_active(void);              /* the path in use now (never AUTO) */
LOGREG_API int           logreg_isa_available(logreg_isa isa); /* built in and usable on this CPU/OS */
LOGREG_API logreg_status logreg_isa_select(logreg_isa isa);    /* AUTO = best available; else force it */
LOGREG_API const char   *logreg_isa_name(logreg_isa isa);      /* "auto","scalar","avx2","avx512","neon" */

/* a[i] = 1/(1+exp(-z[i])); a may equal z. */
LOGREG_API void logreg_sigmoid(const float *z, float *a, size_t n);

/* r[i] = sigmoid(w·x_i + b) - y[i]                                   (fused, one pass) */
LOGREG_API logreg_status logreg_residual(const float *X, size_t n, size_t m, size_t ld,
                                         const float *w, float b, const float *y, float *r);

/* g[j] += sum_i r[i] * X[i][j]                                       (accumulates into g) */
LOGREG_API logreg_status logreg_grad_accumulate(const float *X, size_t n, size_t m, size_t ld,
                                                const float *r, float *g);

/* One pass over X: the sample-weighted mean loss J and its gradient.
   sw == NULL means every weight is 1; J = sum_i sw_i*BCE_i / sum_i sw_i.
   loss may be NULL (then it need not be computed). */
LOGREG_API logreg_status logreg_loss_grad(const float *X, size_t n, size_t m, size_t ld,
                                          const float *y, const float *sw,
                                          const float *w, float b,
                                          double *loss, float *grad_w, float *grad_b);

typedef enum logreg_solver {
    LOGREG_SOLVER_DEFAULT = 0,  /* the fastest correct choice for the data */
    LOGREG_SOLVER_GD,           /* full-batch gradient descent, exactly the seeds' update */
    LOGREG_SOLVER_SGD,          /* mini-batch stochastic gradient descent */
    LOGREG_SOLVER_LBFGS         /* quasi-Newton on the same fused loss+gradient pass */
} logreg_solver;

typedef struct logreg_progress {
    size_t iter; double loss; double grad_norm; /* ‖∇J‖∞ */ double seconds;
} logreg_progress;

typedef struct logreg_options {   /* all-zero = sensible defaults, see the top of logreg.h */
    logreg_solver solver;
    float    learning_rate;       /* GD/SGD step size α */
    float    l2;                  /* λ: J += (λ/2)‖w‖²; the bias is not regularized */
    size_t   max_iter;            /* epochs (GD/SGD) or iterations (L-BFGS) */
    double   tol;                 /* stop when ‖∇J‖∞ <= tol */
    size_t   batch_size;          /* SGD */
    uint64_t seed;                /* SGD shuffling */
    const float *sample_weight;   /* n weights >= 0, or NULL */
    int    (*progress)(const logreg_progress *p, void *user); /* nonzero return stops */
    void    *user;
} logreg_options;

typedef enum logreg_stop {
    LOGREG_STOP_CONVERGED, LOGREG_STOP_MAX_ITER, LOGREG_STOP_CALLBACK, LOGREG_STOP_STALLED
} logreg_stop;

typedef struct logreg_report {
    size_t iterations; double loss; double grad_norm; logreg_stop stop; double seconds;
} logreg_report;

/* Trains in place: w (m floats) and *b hold the starting point on entry (warm start) and
   the result on return. opt and report may be NULL. X and y are checked (finite, labels in
   [0,1]) before any step; on any error w and *b are left finite and consistent. */
LOGREG_API logreg_status logreg_train(const float *X, size_t n, size_t m, size_t ld, const float *y,
                                      const logreg_options *opt, float *w, float *b,
                                      logreg_report *report);

/* p[i] = sigmoid(w·x_i + b) */
LOGREG_API logreg_status logreg_predict_proba(const float *X, size_t n, size_t m, size_t ld,
                                              const float *w, float b, float *p);

/* Beyond API.md: the words for a stop reason (never NULL). */
LOGREG_API const char *logreg_stop_string(logreg_stop s);

/* ==== Model files ==========================================================================
   A model is K >= 2 class labels and V weight vectors with biases: V = 1 when K == 2 (vector 0
   scores labels[1] against labels[0]: predict labels[1] when w·x + b >= 0), else V = K
   (one-vs-rest: vector c scores labels[c] against the rest; predict the largest w_c·x + b_c).
   Features are raw: any standardization used in training is folded into W and B.

   File format, version 1, all integers and floats little-endian, IEEE-754:
     offset  size       field
     0       8          magic  89 4C 52 4D 0D 0A 1A 0A  ("\x89LRM\r\n\x1a\n", PNG-style)
     8       4  u32     version = 1
     12      4  u32     K, classes (>= 2)
     16      4  u32     V, weight vectors (1 if K == 2 and binary, else K)
     20      4  u32     reserved, 0
     24      8  u64     m, features per vector (>= 1)
     32      8*K f64    class labels, finite and distinct
     ...     4*V*(m+1)  f32: for each vector c, its m weights then its bias
     end-8   8  u64     FNV-1a 64 of every byte before it
   A file whose size is not exactly 40 + 8K + 4V(m+1) bytes is rejected (LOGREG_ERR_FORMAT),
   as are a wrong magic or checksum (LOGREG_ERR_FORMAT), another version (LOGREG_ERR_VERSION)
   and non-finite weights or labels (LOGREG_ERR_NONFINITE). A failed load changes nothing. */
typedef struct logreg_model {
    size_t m;       /* features */
    size_t classes; /* K >= 2 */
    size_t vectors; /* V: 1 (binary, K == 2) or K (one-vs-rest) */
    double *labels; /* K class labels */
    float *W;       /* V*m weights, vector c at W + c*m */
    float *B;       /* V biases */
} logreg_model;

/* Serializes model into buf (cap bytes); *size = the bytes the model needs. buf == NULL only
   asks for *size (LOGREG_OK). cap < *size: LOGREG_ERR_ARG, nothing written. */
LOGREG_API logreg_status logreg_model_save_mem(const logreg_model *model, void *buf, size_t cap,
                                               size_t *size);
/* Parses size bytes into *out, whose arrays come from one LOGREG_MALLOC; release them with
   logreg_model_free. On failure *out is untouched. */
LOGREG_API logreg_status logreg_model_load_mem(const void *buf, size_t size, logreg_model *out);
/* Releases what a load gave (only that) and zeroes *model. NULL or zeroed: no-op. */
LOGREG_API void logreg_model_free(logreg_model *model);
#ifndef LOGREG_NO_STDIO
/* Writes a temporary file beside path and renames it over path, so a crash never leaves a
   partial model (the data is flushed to disk first where POSIX fsync is visible). */
LOGREG_API logreg_status logreg_model_save(const logreg_model *model, const char *path);
LOGREG_API logreg_status logreg_model_load(const char *path, logreg_model *out);
#endif

/* cls[i] = the index in model->labels of the predicted class of row i (X: n rows of model->m
   floats, ld apart). proba, if not NULL, gets n*K probabilities, row i at proba + i*K: for
   K == 2, {1 - p, p}; for one-vs-rest, each class's sigmoid divided by their sum. */
LOGREG_API logreg_status logreg_model_predict(const logreg_model *model, const float *X, size_t n,
                                              size_t ld, size_t *cls, float *proba);

/* ==== One-vs-rest ==========================================================================
   Trains K binary models on the same X: model c separates class c (cls[i] == c) from the rest,
   with the options, sample weights included, of logreg_train. W (K*m, model c at W + c*m) and
   B (K) hold the starting points on entry and the models on return; reports (K) may be NULL.
   With L-BFGS (the default) the K models train together: one pass over X per iteration gives
   all K gradients (each block of rows is read from memory once and from cache for every
   model), each model keeps its own curvature estimates, the line search is shared, and all
   stop when every model's max|grad| <= tol. The progress callback then sees the sum of the K
   objectives; each report gets its model's own loss and max|grad| and the shared iteration
   count. With GD or SGD the models train one after the other (the callback is called for each
   in turn, iter restarting at 1), and on an error the models before the failing class are
   trained and the rest keep their starting points. Allocates O(K m) state (L-BFGS) or n floats
   of 0/1 labels (GD, SGD). */
LOGREG_API logreg_status logreg_train_ovr(const float *X, size_t n, size_t m, size_t ld,
                                          const int *cls, size_t K, const logreg_options *opt,
                                          float *W, float *B, logreg_report *reports);
/* cls[i] = argmax_c (W_c·x_i + B_c), the most probable class of row i (ties: the lowest c). */
LOGREG_API logreg_status logreg_predict_class(const float *X, size_t n, size_t m, size_t ld,
                                              const float *W, const float *B, size_t K,
                                              size_t *cls);

/* ==== Standardization ======================================================================
   Train on (x - mean)/scale, then fold the scaling into the model so it takes raw features. */
/* mean[j] and scale[j] = the mean and (population) standard deviation of column j, in one pass
   with double accumulators (Welford); scale[j] = 1 for a constant column. n >= 1. */
LOGREG_API logreg_status logreg_column_stats(const float *X, size_t n, size_t m, size_t ld,
                                             float *mean, float *scale);
/* X[i][j] = (X[i][j] - mean[j]) / scale[j], in place. */
LOGREG_API logreg_status logreg_standardize(float *X, size_t n, size_t m, size_t ld,
                                            const float *mean, const float *scale);
/* The model w, b for standardized features -> the same model for raw features:
   w_j /= scale_j, b -= sum_j w_j mean_j / scale_j. Unchanged if the result would overflow. */
LOGREG_API logreg_status logreg_fold_scaling(float *w, float *b, size_t m, const float *mean,
                                             const float *scale);

#ifdef __cplusplus
}
#endif

#endif /* LOGREG_H */
