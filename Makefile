# logreg.h — make (examples), make check (all tests), make demo, make bench, make amalgamate.
# No -mavx2/-march anywhere: the SIMD kernels carry per-function target attributes.
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Wpedantic -Werror
LDLIBS  := -lm -lpthread
BUILD   := build

.PHONY: all amalgamate check check-neon-sweep demo clean
all: $(BUILD)/demo tools

amalgamate:
	sh tools/amalgamate.sh

check:
	sh tests/run.sh

# The NEON sigmoid over all 2^32 floats under qemu-aarch64 (about 10 CPU-minutes; .ci/run runs it).
check-neon-sweep: | $(BUILD)
	aarch64-linux-gnu-gcc -static -std=c99 $(WARN) -O2 tests/sigmoid_sweep.c -o $(BUILD)/sigmoid_sweep-aarch64 $(LDLIBS)
	qemu-aarch64 $(BUILD)/sigmoid_sweep-aarch64 neon

demo: $(BUILD)/demo
	$(BUILD)/demo examples/data/wdbc.csv

$(BUILD)/demo: examples/demo.c examples/dataio.h logreg.h | $(BUILD)
	$(CC) $(CFLAGS) $(WARN) -I. -Iexamples -o $@ examples/demo.c $(LDLIBS)

$(BUILD):
	mkdir -p $(BUILD)

clean:
	rm -rf $(BUILD)

-include examples/examples.mk
-include bench/bench.mk
