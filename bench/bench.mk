# Benchmarks (included by the top-level Makefile; see bench/README.md).
#   make bench          build, run the full suite (medians of BENCH_REPS runs), print the tables
#   make bench-smoke    build and run every benchmark very briefly (a build/run check, no figures)
#   make bench-report   run the suite, write bench/results/<date>.{json,md,png}
#   make bench-t1       T1: our trainer vs LIBLINEAR on Fashion-MNIST -> bench/results/<date>-t1.md
#   make bench-data     decompress Fashion-MNIST into build/data (if the package is there)
# The harness and the library build with the project's CFLAGS (no -march: runtime dispatch);
# only the peers (bench/peers.cc) get BENCH_PEER_FLAGS. Both are linked into one binary.
BENCH_OUT        := $(BUILD)/bench
BENCH_BIN        := $(BENCH_OUT)/logreg-bench
BENCH_PEER_FLAGS ?= -O3 -march=native
BENCH_CXXWARN    := -std=c++17 -Wall -Wextra -Werror
# The peers' headers as system headers; GCC 12's AVX-512 intrinsics (`__m512 __Y = __Y`, GCC
# bug 105593) still give a false maybe-uninitialized once Eigen inlines them into peers.cc.
BENCH_PEER_WARN  := $(BENCH_CXXWARN) -Wno-maybe-uninitialized
BENCH_PKG_CFLAGS := $(shell pkg-config --cflags openblas eigen3 2>/dev/null)
ifeq ($(strip $(BENCH_PKG_CFLAGS)),)
BENCH_PKG_CFLAGS := -I/usr/include/x86_64-linux-gnu/openblas-pthread -I/usr/include/eigen3
endif
BENCH_PKG_CFLAGS := $(patsubst -I%,-isystem %,$(BENCH_PKG_CFLAGS))
BENCH_LIBS       := -lbenchmark -lXNNPACK -lpthreadpool -lopenblas $(LDLIBS)
BENCH_REPS       ?= 5
BENCH_ARGS       ?= --benchmark_repetitions=$(BENCH_REPS) --benchmark_report_aggregates_only=true
BENCH_RUN        := OPENBLAS_NUM_THREADS=1 $(BENCH_BIN) --data_dir=$(BUILD)/data
BENCH_DATE       := $(shell date +%F)
BENCH_RESULTS    := bench/results
FMNIST_SRC       ?= /usr/share/datasets/fashion-mnist

.PHONY: bench bench-smoke bench-report bench-t1 bench-data bench-data-install bench-deps

$(BENCH_OUT):
	mkdir -p $@

$(BENCH_OUT)/bench.o: bench/bench.cc logreg.h bench/peers.h bench/sanity.h bench/workloads.h | $(BENCH_OUT) bench-deps
	$(CXX) $(CFLAGS) $(BENCH_CXXWARN) -DBENCH_FLAGS='"$(CFLAGS)"' -c -o $@ bench/bench.cc

$(BENCH_OUT)/workloads.o: bench/workloads.cc bench/workloads.h bench/idx.h tests/synth.h | $(BENCH_OUT) bench-deps
	$(CXX) $(CFLAGS) $(BENCH_CXXWARN) -c -o $@ bench/workloads.cc

$(BENCH_OUT)/sanity.o: bench/sanity.cc bench/sanity.h bench/peers.h bench/workloads.h logreg.h | $(BENCH_OUT) bench-deps
	$(CXX) $(CFLAGS) $(BENCH_CXXWARN) -c -o $@ bench/sanity.cc

$(BENCH_OUT)/peers.o: bench/peers.cc bench/peers.h | $(BENCH_OUT) bench-deps
	$(CXX) $(BENCH_PEER_FLAGS) $(BENCH_PEER_WARN) $(BENCH_PKG_CFLAGS) \
	    -DBENCH_PEER_FLAGS='"$(BENCH_PEER_FLAGS)"' -c -o $@ bench/peers.cc

$(BENCH_BIN): $(BENCH_OUT)/bench.o $(BENCH_OUT)/workloads.o $(BENCH_OUT)/sanity.o $(BENCH_OUT)/peers.o
	$(CXX) -o $@ $^ $(BENCH_LIBS)

$(BENCH_OUT)/objective: bench/objective.c bench/idx.h | $(BENCH_OUT)
	$(CC) $(CFLAGS) $(WARN) -o $@ bench/objective.c $(LDLIBS)

# Fashion-MNIST (G1, T1): decompressed from the Debian package; skipped with a message if absent.
bench-data:
	@if [ -d $(FMNIST_SRC) ]; then $(MAKE) --no-print-directory fmnist FMNIST_DIR=$(FMNIST_SRC); \
	else echo "bench-data: $(FMNIST_SRC) not found: G1 and T1 will be skipped (apt-get install dataset-fashion-mnist)"; fi

# The libraries the suite links and the tools it runs (Debian packages). As root with apt-get
# they are installed when a header, or a command in BENCH_CMDS, is missing; otherwise the build
# stops with the command to run. bench-report adds gnuplot (its chart) before its suite runs.
BENCH_PKGS := libbenchmark-dev libopenblas-dev libeigen3-dev libxnnpack-dev libpthreadpool-dev pkg-config python3 gnuplot-nox
BENCH_HDRS := /usr/include/benchmark/benchmark.h /usr/include/xnnpack.h /usr/include/eigen3/Eigen/Core
BENCH_CMDS :=
bench-deps:
	@missing=0; for h in $(BENCH_HDRS); do [ -e $$h ] || missing=1; done; \
	for c in $(BENCH_CMDS); do command -v $$c >/dev/null || missing=1; done; \
	cblas=0; for h in /usr/include/cblas.h /usr/include/*/cblas.h /usr/include/*/openblas*/cblas.h; do [ -e $$h ] && cblas=1; done; \
	[ $$cblas = 1 ] || missing=1; \
	if [ $$missing = 1 ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo "apt-get install $(BENCH_PKGS)"; \
	        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_PKGS); } >/dev/null || exit 1; \
	    else \
	        echo "bench: missing libraries or tools; run: sudo apt-get install $(BENCH_PKGS)" >&2; exit 1; \
	    fi; \
	fi

# As root with apt-get, the full runs install the data set when it is missing.
bench-data-install:
	@if [ ! -d $(FMNIST_SRC) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "apt-get install dataset-fashion-mnist"; \
	    apt-get install -y dataset-fashion-mnist >/dev/null 2>&1 || \
	    { apt-get update >/dev/null && apt-get install -y dataset-fashion-mnist >/dev/null; } || \
	    echo "bench-data-install: could not install dataset-fashion-mnist"; \
	fi

bench: $(BENCH_BIN) bench-data-install
	@$(MAKE) --no-print-directory bench-data
	$(BENCH_RUN) $(BENCH_ARGS) --benchmark_out=$(BENCH_OUT)/last.json --benchmark_out_format=json
	python3 bench/report.py $(BENCH_OUT)/last.json --md - \
	    --command "make bench: $(BENCH_RUN) $(BENCH_ARGS)"

bench-smoke: $(BENCH_BIN) $(BENCH_OUT)/objective bench-data
	$(BENCH_RUN) --benchmark_min_time=0.01 --benchmark_out=$(BENCH_OUT)/smoke.json \
	    --benchmark_out_format=json
	@if command -v python3 >/dev/null; then \
	    python3 bench/report.py $(BENCH_OUT)/smoke.json --md $(BENCH_OUT)/smoke.md \
	        --command "make bench-smoke: $(BENCH_RUN) --benchmark_min_time=0.01" && echo "bench-smoke: rendered $(BENCH_OUT)/smoke.md"; \
	else echo "bench-smoke: python3 not found, report not rendered"; fi
	sh -n bench/t1.sh

bench-report: BENCH_CMDS := gnuplot
bench-report: bench-deps $(BENCH_BIN) bench-data-install
	@$(MAKE) --no-print-directory bench-data
	mkdir -p $(BENCH_RESULTS)
	$(BENCH_RUN) $(BENCH_ARGS) --benchmark_out=$(BENCH_RESULTS)/$(BENCH_DATE).json \
	    --benchmark_out_format=json
	python3 bench/report.py $(BENCH_RESULTS)/$(BENCH_DATE).json \
	    --md $(BENCH_RESULTS)/$(BENCH_DATE).md --png $(BENCH_RESULTS)/$(BENCH_DATE).png \
	    --command "make bench-report: $(BENCH_RUN) $(BENCH_ARGS)"

bench-t1: $(BENCH_OUT)/objective bench-data-install
	@$(MAKE) --no-print-directory bench-data tools
	mkdir -p $(BENCH_RESULTS)
	T1_OUT=$(BENCH_RESULTS)/$(BENCH_DATE)-t1.md sh bench/t1.sh
