// The peers of BENCHMARKS.md, built in their own translation unit (bench/peers.cc) with
// -O3 -march=native, linked into the same binary as the harness so that every ratio comes
// from one run. Each computes exactly the work of the logreg_* call it is compared with.
#ifndef LOGREG_BENCH_PEERS_H
#define LOGREG_BENCH_PEERS_H
#include <cstddef>
#include <string>

namespace peers {

// Versions and settings of the peers, for the benchmark context. Call once first: it also
// initializes XNNPACK and pins OpenBLAS to one thread.
std::string init();
const char *flags();  // the compile flags of peers.cc

// a[i] = 1/(1+expf(-z[i])): a plain loop over glibc expf.
void sigmoid_expf(const float *z, float *a, size_t n);
// Eigen 3.4 ArrayXf::logistic() over mapped arrays.
void sigmoid_eigen(const float *z, float *a, size_t n);

// The XNNPACK f32 sigmoid operator, single-threaded (no threadpool): created and set up for
// (z, a, n) once, then run. NULL if XNNPACK refuses.
struct XnnSigmoid;
XnnSigmoid *xnn_sigmoid_create(const float *z, float *a, size_t n);
bool xnn_sigmoid_run(XnnSigmoid *op);
void xnn_sigmoid_destroy(XnnSigmoid *op);

// The OpenBLAS two-pass loss + gradient with the outputs of logreg_loss_grad (sw = NULL):
// z = Xw + b (cblas_sgemv), a scalar loop for the mean loss and r = (sigma(z) - y)/n, then
// grad_w = X^T r (cblas_sgemv), grad_b = sum r. z is n floats of scratch.
void blas_loss_grad(const float *X, size_t n, size_t m, size_t ld, const float *y,
                    const float *w, float b, float *z, double *loss, float *grad_w,
                    float *grad_b);

// The bandwidth limit: a vectorized sum of n floats, read once.
float stream_sum(const float *p, size_t n);
// The limit for a streaming map: copy n floats.
void stream_copy(const float *src, float *dst, size_t n);

// The core's own limits, for G5 (in cache): fma_chains runs reps steps of twelve independent
// 16-lane FMA chains (reps * 192 lane-FMAs); l1_sum sums the same n floats (L1-sized) reps
// times with eight independent chains, so that loads, not adds, are the limit.
float fma_chains(size_t reps);
float l1_sum(const float *p, size_t n, size_t reps);

}  // namespace peers
#endif
