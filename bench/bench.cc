// The benchmark suite of BENCHMARKS.md: every workload on every path of logreg.h available
// here, and its peers, in one run. This file is compiled with the project's flags (no
// -march: the library dispatches at run time); the peers come from peers.cc.
//   build/bench/logreg-bench [google benchmark flags] [--data_dir=DIR]
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "peers.h"
#include "sanity.h"
#include "workloads.h"

#ifndef BENCH_FLAGS
#define BENCH_FLAGS "?"
#endif

static std::vector<logreg_isa> g_isas;  // the paths this build and CPU can run

// The workload's data, checked against the peers the first time it is made.
static const Data &data(const Workload &wl) {
    bool fresh;
    const Data &d = load(wl, &fresh);
    if (fresh) sanity_check(d, g_isas);
    return d;
}

// ---- counters: items = elements (S) or floats of X (G); bytes = memory streamed ----

static void count(benchmark::State &st, const Data &d, double bytes_per_item) {
    const double items = (double)d.n * (double)d.m;
    st.SetItemsProcessed((int64_t)(items * (double)st.iterations()));
    st.SetBytesProcessed((int64_t)(items * bytes_per_item * (double)st.iterations()));
    if (d.wl->kind == Kind::Sigmoid)  // seconds per element (console: e.g. 3.4n)
        st.counters["time/elem"] = benchmark::Counter(
            items, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

static bool select(benchmark::State &st, logreg_isa isa) {
    if (logreg_isa_select(isa) == LOGREG_OK) return true;
    st.SkipWithError("this path is not available here");
    return false;
}

// ---- ours ----

static void bm_sigmoid(benchmark::State &st, const Workload *wl, logreg_isa isa) {
    const Data &d = data(*wl);
    if (!select(st, isa)) return;
    for (auto _ : st) {
        logreg_sigmoid(d.X.get(), d.out.get(), d.n);
        benchmark::ClobberMemory();
    }
    count(st, d, 8.0);  // read z, write a
    st.SetLabel(logreg_isa_name(isa));
}

static void bm_loss_grad(benchmark::State &st, const Workload *wl, logreg_isa isa) {
    const Data &d = data(*wl);
    if (!select(st, isa)) return;
    std::vector<float> gw(d.m);
    float gb;
    double loss;
    for (auto _ : st) {
        logreg_status s = logreg_loss_grad(d.X.get(), d.n, d.m, d.m, d.y.get(), nullptr,
                                           d.w.get(), d.b, &loss, gw.data(), &gb);
        benchmark::DoNotOptimize(loss);
        benchmark::ClobberMemory();
        if (s != LOGREG_OK) {
            st.SkipWithError(logreg_status_string(s));
            break;
        }
    }
    count(st, d, 4.0);  // X read once
    st.SetLabel(logreg_isa_name(isa));
}

// ---- peers ----

static void bm_peer_sigmoid(benchmark::State &st, const Workload *wl, const char *peer) {
    const Data &d = data(*wl);
    const float *z = d.X.get();
    float *a = d.out.get();
    if (!std::strcmp(peer, "xnnpack")) {
        peers::XnnSigmoid *op = peers::xnn_sigmoid_create(z, a, d.n);
        if (!op) {
            st.SkipWithError("XNNPACK sigmoid operator could not be created");
            return;
        }
        for (auto _ : st) {
            peers::xnn_sigmoid_run(op);
            benchmark::ClobberMemory();
        }
        peers::xnn_sigmoid_destroy(op);
    } else {
        void (*f)(const float *, float *, size_t) =
            !std::strcmp(peer, "eigen") ? peers::sigmoid_eigen : peers::sigmoid_expf;
        for (auto _ : st) {
            f(z, a, d.n);
            benchmark::ClobberMemory();
        }
    }
    count(st, d, 8.0);
    st.SetLabel(peer);
}

static void bm_peer_blas(benchmark::State &st, const Workload *wl) {
    const Data &d = data(*wl);
    std::vector<float> gw(d.m);
    float gb;
    double loss;
    for (auto _ : st) {
        peers::blas_loss_grad(d.X.get(), d.n, d.m, d.m, d.y.get(), d.w.get(), d.b, d.out.get(),
                              &loss, gw.data(), &gb);
        benchmark::DoNotOptimize(loss);
        benchmark::ClobberMemory();
    }
    count(st, d, 4.0);
    st.SetLabel("openblas-2pass");
}

// The physical limit: a vectorized sum over the same bytes of X, or a copy for S2.
static void bm_limit(benchmark::State &st, const Workload *wl) {
    const Data &d = data(*wl);
    const size_t n = d.n * d.m;
    const bool copy = d.wl->kind == Kind::Sigmoid;
    for (auto _ : st) {
        if (copy) {
            peers::stream_copy(d.X.get(), d.out.get(), n);
            benchmark::ClobberMemory();
        } else {
            benchmark::DoNotOptimize(peers::stream_sum(d.X.get(), n));
        }
    }
    count(st, d, copy ? 8.0 : 4.0);
    st.SetLabel(copy ? "copy-limit" : "read-limit");
}

// The core's limits for G5: lane-FMAs per second, and bytes per second loaded from L1 (16 KiB),
// from a 64-byte-aligned buffer (shift 0) or one 16 bytes off, where every 64-byte load
// straddles two cache lines.
static void bm_core(benchmark::State &st, bool fma, size_t shift) {
    const size_t n = 4096, reps = 1000;
    Floats buf = alloc_floats(n + 16);
    float *p = buf.get() + shift;
    std::fill(buf.get(), buf.get() + n + 16, 1.0f);
    for (auto _ : st) benchmark::DoNotOptimize(fma ? peers::fma_chains(reps) : peers::l1_sum(p, n, reps));
    if (fma) st.SetItemsProcessed((int64_t)(192.0 * reps * (double)st.iterations()));
    else st.SetBytesProcessed((int64_t)(4.0 * n * reps * (double)st.iterations()));
    st.SetLabel(fma ? "fma-peak" : shift ? "l1-split-load" : "l1-load-peak");
}

// ---- registration: per workload, our paths, then the peers, then the limit ----

static void register_all() {
    for (size_t k = 0; k < kNumWorkloads; k++) {
        const Workload *wl = &kWorkloads[k];
        const std::string base = wl->name() + "/";
        const benchmark::TimeUnit unit = wl->n * wl->m <= 1 << 20 ? benchmark::kMicrosecond
                                                                   : benchmark::kMillisecond;
        if (wl->fmnist) {
            std::string why = fmnist_missing();
            if (!why.empty()) {
                std::fprintf(stderr, "bench: %s skipped: %s\n", wl->id, why.c_str());
                continue;
            }
        }
        switch (wl->kind) {
        case Kind::Sigmoid:
            for (logreg_isa isa : g_isas)
                benchmark::RegisterBenchmark((base + logreg_isa_name(isa)).c_str(), bm_sigmoid, wl, isa)
                    ->Unit(unit);
            for (const char *p : {"glibc-expf", "eigen", "xnnpack"})
                benchmark::RegisterBenchmark((base + p).c_str(), bm_peer_sigmoid, wl, p)->Unit(unit);
            if (wl->n > 1 << 20)  // the copy limit only means something out of cache
                benchmark::RegisterBenchmark((base + "copy").c_str(), bm_limit, wl)->Unit(unit);
            break;
        case Kind::LossGrad:
            for (logreg_isa isa : g_isas)
                benchmark::RegisterBenchmark((base + logreg_isa_name(isa)).c_str(), bm_loss_grad, wl, isa)
                    ->Unit(unit);
            benchmark::RegisterBenchmark((base + "openblas").c_str(), bm_peer_blas, wl)->Unit(unit);
            benchmark::RegisterBenchmark((base + "read").c_str(), bm_limit, wl)->Unit(unit);
            break;
        case Kind::Read:
            benchmark::RegisterBenchmark((base + "read").c_str(), bm_limit, wl)->Unit(unit);
            break;
        }
    }
    benchmark::RegisterBenchmark("CORE/fma/peak", bm_core, true, 0)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("CORE/l1/peak", bm_core, false, 0)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("CORE/l1-split/peak", bm_core, false, 4)->Unit(benchmark::kMicrosecond);
}

// ---- context: what ran, where, built how ----

static std::string cpu_model() {
    std::ifstream f("/proc/cpuinfo");
    for (std::string line; std::getline(f, line);)
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
            return line.substr(line.find(':') + 2);
    return "unknown";
}

static void add_context(const std::string &peer_info) {
    std::string avail;
    for (logreg_isa isa : g_isas) avail += std::string(avail.empty() ? "" : " ") + logreg_isa_name(isa);
    benchmark::AddCustomContext("logreg_version", LOGREG_VERSION);
    benchmark::AddCustomContext("logreg_isa_active", logreg_isa_name(logreg_isa_active()));
    benchmark::AddCustomContext("logreg_isa_available", avail);
    benchmark::AddCustomContext("cpu_model", cpu_model());
#if defined(__clang__)
    benchmark::AddCustomContext("compiler", std::string("clang ") + __clang_version__);
#elif defined(__GNUC__)
    benchmark::AddCustomContext("compiler", std::string("g++ ") + __VERSION__);
#endif
    benchmark::AddCustomContext("flags_logreg", BENCH_FLAGS);
    benchmark::AddCustomContext("flags_peers", peers::flags());
    benchmark::AddCustomContext("peers", peer_info);
    std::string why = fmnist_missing();
    benchmark::AddCustomContext("fashion_mnist", why.empty() ? "found" : "G1 skipped: " + why);
}

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    int kept = 1;
    for (int i = 1; i < argc; i++) {  // our own flag; Google Benchmark took its own
        if (!std::strncmp(argv[i], "--data_dir=", 11)) set_data_dir(argv[i] + 11);
        else argv[kept++] = argv[i];
    }
    argc = kept;
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (int i = LOGREG_ISA_SCALAR; i <= LOGREG_ISA_NEON; i++)
        if (logreg_isa_available((logreg_isa)i)) g_isas.push_back((logreg_isa)i);
    std::string peer_info = peers::init();
    add_context(peer_info);
    register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
