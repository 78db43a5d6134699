# logreg.h — make (examples), make check (all tests), make demo, make bench, make amalgamate.
# No -mavx2/-march anywhere: the SIMD kernels carry per-function target attributes.
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Wpedantic -Werror
LDLIBS  := -lm -lpthread
BUILD   := build

.PHONY: all amalgamate check demo clean
all: $(BUILD)/demo

amalgamate:
	sh tools/amalgamate.sh

check:
	sh tests/run.sh

demo: $(BUILD)/demo
	$(BUILD)/demo examples/data/wdbc.csv

$(BUILD)/demo: examples/demo.c logreg.h | $(BUILD)
	$(CC) $(CFLAGS) $(WARN) -I. -o $@ examples/demo.c $(LDLIBS)

$(BUILD):
	mkdir -p $(BUILD)

clean:
	rm -rf $(BUILD)

-include examples/examples.mk
-include bench/bench.mk
