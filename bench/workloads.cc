// The workloads of BENCHMARKS.md and their data (see workloads.h). Synthetic data comes
// from tests/synth.h, the documented generator, with seed 42.
#include "workloads.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "../tests/synth.h"
#include "idx.h"

const Workload kWorkloads[] = {
    {"S1", Kind::Sigmoid, 4096, 1, false},
    {"S2", Kind::Sigmoid, 16777216, 1, false},
    {"BW", Kind::Read, (size_t)256 << 20 >> 2, 1, false},
    {"G1", Kind::LossGrad, 60000, 784, true},
    {"G2", Kind::LossGrad, 1000000, 16, false},
    {"G3", Kind::LossGrad, 100000, 128, false},
    {"G4", Kind::LossGrad, 2000, 4096, false},
    {"G5", Kind::LossGrad, 512, 512, false},
};
const size_t kNumWorkloads = sizeof kWorkloads / sizeof kWorkloads[0];

std::string Workload::name() const {
    if (kind == Kind::Read) return std::string(id) + "/" + std::to_string(n * 4 >> 20) + "MiB";
    if (kind == Kind::Sigmoid) return std::string(id) + "/" + std::to_string(n);
    return std::string(id) + "/" + std::to_string(n) + "x" + std::to_string(m);
}

Floats alloc_floats(size_t n) {
    size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    float *p = static_cast<float *>(std::aligned_alloc(64, bytes ? bytes : 64));
    if (!p) {
        std::fprintf(stderr, "bench: out of memory (%zu bytes)\n", bytes);
        std::exit(1);
    }
    return Floats(p);
}

static std::string data_dir = "build/data";
void set_data_dir(const std::string &dir) { data_dir = dir; }

static const char *kImages = "train-images-idx3-ubyte", *kLabels = "train-labels-idx1-ubyte";

std::string fmnist_missing() {
    for (const char *f : {kImages, kLabels}) {
        std::string path = data_dir + "/" + f;
        if (FILE *fp = std::fopen(path.c_str(), "rb")) {
            std::fclose(fp);
        } else {
            return path + " not found (install the Debian package dataset-fashion-mnist, "
                          "then `make bench-data`)";
        }
    }
    return "";
}

// Fashion-MNIST train set: pixels / 255, y = (class == 0), "T-shirt/top vs rest".
static void read_fmnist(Data &d) {
    size_t ni, mi, nl, ml;
    const char *err;
    std::string ip = data_dir + "/" + kImages, lp = data_dir + "/" + kLabels;
    unsigned char *img = idx_read(ip.c_str(), &ni, &mi, &err);
    if (!img) {
        std::fprintf(stderr, "bench: %s: %s\n", ip.c_str(), err);
        std::exit(1);
    }
    unsigned char *lab = idx_read(lp.c_str(), &nl, &ml, &err);
    if (!lab || ni != d.n || mi != d.m || nl != d.n || ml != 1) {
        std::fprintf(stderr, "bench: %s: %s\n", lab ? "unexpected Fashion-MNIST shape" : lp.c_str(),
                     lab ? "" : err);
        std::exit(1);
    }
    for (size_t i = 0; i < d.n * d.m; i++) d.X[i] = (float)img[i] / 255.0f;
    for (size_t i = 0; i < d.n; i++) d.y[i] = lab[i] == 0 ? 1.0f : 0.0f;
    std::free(img);
    std::free(lab);
}

static void make(const Workload &wl, Data &d) {
    d = Data();
    d.wl = &wl;
    d.n = wl.n;
    d.m = wl.m;
    d.X = alloc_floats(wl.n * wl.m);
    d.out = alloc_floats(wl.n);
    std::memset(d.out.get(), 0, wl.n * sizeof(float));  // fault the pages in now
    if (wl.kind == Kind::Sigmoid) {  // uniform in [-20, 20], seed 42
        synth_rng r = {42};
        for (size_t i = 0; i < wl.n; i++) d.X[i] = (float)(-20.0 + 40.0 * synth_uniform(&r));
        return;
    }
    if (wl.kind == Kind::Read) {
        for (size_t i = 0; i < wl.n; i++) d.X[i] = (float)(i & 1023) * (1.0f / 1024.0f);
        return;
    }
    d.y = alloc_floats(wl.n);
    d.w = alloc_floats(wl.m);
    if (wl.fmnist) read_fmnist(d);
    else synth_make(wl.n, wl.m, wl.m, 42, d.X.get(), d.y.get(), nullptr);
    synth_rng r = {7};
    for (size_t j = 0; j < wl.m; j++) d.w[j] = (float)(synth_normal(&r) / std::sqrt((double)wl.m));
    d.b = 0.1f;
}

const Data &load(const Workload &wl, bool *fresh) {
    static Data current;
    *fresh = current.wl != &wl;
    if (*fresh) {
        current = Data();  // free the previous workload's data first
        make(wl, current);
    }
    return current;
}
