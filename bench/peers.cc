// The peers of BENCHMARKS.md (see peers.h), compiled with -O3 -march=native.
#include "peers.h"

#include <cblas.h>
#include <xnnpack.h>

#include <Eigen/Core>
#include <cmath>
#include <cstring>

#ifndef BENCH_PEER_FLAGS
#define BENCH_PEER_FLAGS "?"
#endif

namespace peers {

static bool xnn_ready;

std::string init() {
    openblas_set_num_threads(1);
    xnn_ready = xnn_initialize(nullptr) == xnn_status_success;
    std::string s = "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                     std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION) +
                     " (" + Eigen::SimdInstructionSetsInUse() + "); OpenBLAS " +
                     openblas_get_config() + ", " + std::to_string(openblas_get_num_threads()) +
                     " thread(s); XNNPACK " + (xnn_ready ? "initialized" : "FAILED to initialize") +
                     ", no threadpool";
    return s;
}

const char *flags() { return BENCH_PEER_FLAGS; }

void sigmoid_expf(const float *z, float *a, size_t n) {
    for (size_t i = 0; i < n; i++) a[i] = 1.0f / (1.0f + expf(-z[i]));
}

void sigmoid_eigen(const float *z, float *a, size_t n) {
    Eigen::Map<const Eigen::ArrayXf> in(z, (Eigen::Index)n);
    Eigen::Map<Eigen::ArrayXf> out(a, (Eigen::Index)n);
    out = in.logistic();
}

struct XnnSigmoid {
    xnn_operator_t op;
};

XnnSigmoid *xnn_sigmoid_create(const float *z, float *a, size_t n) {
    xnn_operator_t op = nullptr;
    if (!xnn_ready) return nullptr;
    // One channel per element, n "batch" rows with stride 1: XNNPACK treats it as one
    // contiguous range and runs its best f32 sigmoid microkernel over it.
    if (xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op) != xnn_status_success) return nullptr;
    if (xnn_setup_sigmoid_nc_f32(op, n, z, a, nullptr) != xnn_status_success) {
        xnn_delete_operator(op);
        return nullptr;
    }
    return new XnnSigmoid{op};
}

bool xnn_sigmoid_run(XnnSigmoid *s) { return xnn_run_operator(s->op, nullptr) == xnn_status_success; }

void xnn_sigmoid_destroy(XnnSigmoid *s) {
    if (!s) return;
    xnn_delete_operator(s->op);
    delete s;
}

void blas_loss_grad(const float *X, size_t n, size_t m, size_t ld, const float *y,
                    const float *w, float b, float *z, double *loss, float *grad_w,
                    float *grad_b) {
    const float inv_n = 1.0f / (float)n;
    double l = 0.0, sr = 0.0;
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)m, 1.0f, X, (int)ld, w, 1, 0.0f, z, 1);
    for (size_t i = 0; i < n; i++) {
        // one expf serves the loss ln(1+e^-|z|) + max(z,0) - y z and the sigmoid
        float zi = z[i] + b, e = expf(-fabsf(zi));
        float s = zi >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
        l += (double)(log1pf(e) + fmaxf(zi, 0.0f) - y[i] * zi);
        z[i] = s - y[i];
        sr += (double)z[i];
    }
    cblas_sgemv(CblasRowMajor, CblasTrans, (int)n, (int)m, inv_n, X, (int)ld, z, 1, 0.0f, grad_w, 1);
    *loss = l / (double)n;
    *grad_b = (float)(sr / (double)n);
}

// GCC/Clang vector extension: 16 floats, whatever registers the target has.
typedef float v16 __attribute__((vector_size(64)));

static inline v16 load16(const float *p) {
    v16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

float stream_sum(const float *p, size_t n) {
    v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {  // four independent chains, 256 bytes per step
        a0 += load16(p + i);
        a1 += load16(p + i + 16);
        a2 += load16(p + i + 32);
        a3 += load16(p + i + 48);
    }
    v16 t = (a0 + a1) + (a2 + a3);
    float s = 0.0f;
    for (int k = 0; k < 16; k++) s += t[k];
    for (; i < n; i++) s += p[i];
    return s;
}

void stream_copy(const float *src, float *dst, size_t n) { std::memcpy(dst, src, n * sizeof(float)); }

float fma_chains(size_t reps) {
    const v16 m = v16{} + 0.999999f, c = v16{} + 1e-7f;
    v16 a[12];
    for (int k = 0; k < 12; k++) a[k] = v16{} + (float)k;
    for (size_t i = 0; i < reps; i++)
        for (int k = 0; k < 12; k++) a[k] = a[k] * m + c;  // contracted to one FMA (-O3, GNU C++)
    v16 t = a[0];
    for (int k = 1; k < 12; k++) t += a[k];
    return t[0] + t[15];
}

float l1_sum(const float *p, size_t n, size_t reps) {
    v16 a[8] = {};
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i + 128 <= n; i += 128)
            for (int k = 0; k < 8; k++) a[k] += load16(p + i + 16 * k);
    v16 t = a[0];
    for (int k = 1; k < 8; k++) t += a[k];
    return t[0] + t[15];
}

}  // namespace peers
