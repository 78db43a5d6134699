// The workloads of BENCHMARKS.md and their data: S1, S2 (sigmoid), G1-G5 (one loss+gradient
// pass) and the 256 MiB streaming read. One workload's data is held at a time.
#ifndef LOGREG_BENCH_WORKLOADS_H
#define LOGREG_BENCH_WORKLOADS_H
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>

enum class Kind { Sigmoid, LossGrad, Read };

struct Workload {
    const char *id;   // "S1", "G3", "BW"
    Kind kind;
    size_t n, m;      // rows and columns (m = 1 for Sigmoid and Read)
    bool fmnist;      // G1: Fashion-MNIST train images, not synthetic
    std::string name() const;  // "G3/100000x128", "S1/4096", "BW/256MiB"
};

extern const Workload kWorkloads[];
extern const size_t kNumWorkloads;

struct FreeDeleter {
    void operator()(float *p) const { std::free(p); }
};
using Floats = std::unique_ptr<float[], FreeDeleter>;
Floats alloc_floats(size_t n);  // 64-byte aligned, uninitialized

struct Data {
    const Workload *wl = nullptr;
    size_t n = 0, m = 0;
    Floats X;    // Sigmoid: the n inputs z; LossGrad: n x m, ld = m; Read: n floats
    Floats y;    // LossGrad: labels in {0, 1}
    Floats w;    // LossGrad: the fixed weights, w_j ~ N(0, 1/m) from seed 7
    float b = 0.1f;
    Floats out;  // n floats the benchmarks write: sigmoid outputs, OpenBLAS z, copy target
};

// Where the decompressed Fashion-MNIST idx files are (default build/data).
void set_data_dir(const std::string &dir);
// "" when G1's files are readable, else why not.
std::string fmnist_missing();

// The data of wl, made (or read) on first use; *fresh says whether it was just made.
// Exits with a message if it cannot be made.
const Data &load(const Workload &wl, bool *fresh);

#endif
