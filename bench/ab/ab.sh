#!/bin/sh
# The "scratch harness" of bench/tuning.md: loss_grad of two builds of logreg.h in turn, in one process.
#   HDR_A=old/logreg.h HDR_B=logreg.h [CFA=-D...] [CFB=-D...] sh bench/ab/ab.sh 512x512 1000000x16 ...
# (absolute paths; LOGREG_ISA picks the path as usual, CFA/CFB=-DAB_ISA=LOGREG_ISA_AVX2 one build's
# path alone, e.g. the same logreg.h twice to compare AVX2 with AVX-512). Needs an AVX-512 CPU for
# its read probe.
set -e
d=$(cd "$(dirname "$0")" && pwd)
o=${TMPDIR:-/tmp}/logreg-ab.$$
mkdir -p "$o"
trap 'rm -rf "$o"' EXIT
gcc -O2 -w -DHDR="\"${HDR_A:?HDR_A: the first logreg.h}\"" -DNAME=lg_a $CFA -c "$d/lib.c" -o "$o/a.o"
gcc -O2 -w -DHDR="\"${HDR_B:?HDR_B: the second logreg.h}\"" -DNAME=lg_b $CFB -c "$d/lib.c" -o "$o/b.o"
gcc -O2 "$d/main.c" "$o/a.o" "$o/b.o" -o "$o/ab" -lm
"$o/ab" "$@"
