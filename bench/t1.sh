#!/bin/sh
# T1 of BENCHMARKS.md: train L2-regularized logistic regression (lambda = 1/n, C = 1) on
# Fashion-MNIST T-shirt/top (class 0) vs rest, with our trainer and with LIBLINEAR
# (-s 0 -c 1 -B 1, and -s 7), then evaluate every model with ONE evaluator
# (build/bench/objective): J(w,b) on the train set in double, J/J* - 1, test accuracy on t10k.
# Wall times are whole commands: reading the data is included (idx for us, libsvm text for
# LIBLINEAR; the "ours, libsvm" row reads the same text as LIBLINEAR).
#   sh bench/t1.sh        (make bench-t1 builds what it needs first)
# Environment: BUILD (build), T1_OUT (markdown copy; default $BUILD/t1/t1.md),
#   T1_OURS_ARGS (extra options for logreg-train, e.g. "-e 1e-6"), T1_SKIP_S7=1 (skip -s 7).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=$BUILD/data
OUT=$BUILD/t1
MD=${T1_OUT:-$OUT/t1.md}
JSTAR=0.0947896088
TRAIN=$DATA/train-images-idx3-ubyte TRAIN_L=$DATA/train-labels-idx1-ubyte
TEST=$DATA/t10k-images-idx3-ubyte TEST_L=$DATA/t10k-labels-idx1-ubyte
EVAL=$BUILD/bench/objective

for f in $TRAIN $TRAIN_L $TEST $TEST_L; do
    if [ ! -r "$f" ]; then
        echo "T1 skipped: $f not found (apt-get install dataset-fashion-mnist; make bench-data)"
        exit 0
    fi
done
[ -x "$EVAL" ] || { echo "t1.sh: $EVAL missing: make $EVAL" >&2; exit 1; }
have_ours=1 have_ll=1
for t in logreg-train logreg-convert; do
    [ -x "$BUILD/$t" ] || { echo "t1.sh: $BUILD/$t missing (make tools): our rows skipped" >&2; have_ours=0; }
done
command -v liblinear-train >/dev/null || { echo "t1.sh: liblinear-train missing (apt-get install liblinear-tools): its rows skipped" >&2; have_ll=0; }
mkdir -p "$OUT" "$(dirname "$MD")"

# libsvm text of the same data for LIBLINEAR (label 1 = class 0, else 0), made once.
if [ ! -s "$OUT/train.libsvm" ] && [ -x "$BUILD/logreg-convert" ]; then
    "$BUILD/logreg-convert" -f idx -L "$TRAIN_L" -p 0 "$TRAIN" "$OUT/train.libsvm.tmp"
    mv "$OUT/train.libsvm.tmp" "$OUT/train.libsvm"
fi
[ -s "$OUT/train.libsvm" ] || have_ll=0

rows=""
# CPU time (user + system) too where GNU time is there: wall time suffers from other load.
gnutime=0
/usr/bin/time -f '%U %S' -o /dev/null true 2>/dev/null && gnutime=1
# timed FILE COMMAND...: runs the command, its CPU seconds into FILE (with GNU time).
timed() {
    f=$1
    shift
    if [ $gnutime = 1 ]; then /usr/bin/time -f '%U %S' -o "$f" "$@"; else "$@"; fi
}
# run NAME COMMAND...: times the command (log in $OUT/NAME.log), evaluates $OUT/NAME.model.
run() {
    name=$1
    shift
    echo "T1: $name: $*" >&2
    t0=$(date +%s.%N)
    if ! timed "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1; then
        echo "t1.sh: $name failed, see $OUT/$name.log" >&2
        rows="$rows| $name | \`$*\` | failed | | | | |
"
        return 0
    fi
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    cpu="–"
    [ $gnutime = 0 ] || cpu=$(awk '{ printf "%.2f s", $1 + $2 }' "$OUT/$name.time")
    "$EVAL" -p 0 -j $JSTAR -t "$TEST" -T "$TEST_L" "$TRAIN" "$TRAIN_L" "$OUT/$name.model" >"$OUT/$name.eval"
    J=$(awk '$1 == "J" { print $2 }' "$OUT/$name.eval")
    gap=$(awk '$1 == "rel_gap" { print $2 }' "$OUT/$name.eval")
    acc=$(awk '$1 == "accuracy" { print $2 " %" }' "$OUT/$name.eval")
    rows="$rows| $name | \`$*\` | $secs s | $cpu | $J | $gap | $acc |
"
}

if [ $have_ours = 1 ]; then
    # shellcheck disable=SC2086 # T1_OURS_ARGS is a list of options
    run ours-idx "$BUILD/logreg-train" -f idx -L "$TRAIN_L" -p 0 -c 1 -q ${T1_OURS_ARGS:-} "$TRAIN" "$OUT/ours-idx.model"
    if [ -s "$OUT/train.libsvm" ]; then
        # shellcheck disable=SC2086
        run ours-libsvm "$BUILD/logreg-train" -f libsvm -p 1 -c 1 -q ${T1_OURS_ARGS:-} "$OUT/train.libsvm" "$OUT/ours-libsvm.model"
    fi
fi
if [ $have_ll = 1 ]; then
    run liblinear-s0 liblinear-train -s 0 -c 1 -B 1 -q "$OUT/train.libsvm" "$OUT/liblinear-s0.model"
    [ "${T1_SKIP_S7:-0}" = 1 ] ||
        run liblinear-s7 liblinear-train -s 7 -c 1 -B 1 -q "$OUT/train.libsvm" "$OUT/liblinear-s7.model"
fi

model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
{
    echo "## T1: Fashion-MNIST T-shirt/top vs rest, lambda = 1/n (C = 1)"
    echo
    echo "$(date +%F), $model (\`lscpu\` model name), $(nproc) CPUs; command: \`sh bench/t1.sh\`."
    echo "J and accuracy by one evaluator (bench/objective.c, double): J = (1/n) sum BCE + (lambda/2)|w|^2,"
    echo "bias not regularized (LIBLINEAR regularizes its -B 1 bias feature, so its optimum differs slightly)."
    echo "J* = $JSTAR (BENCHMARKS.md). Wall and CPU (user + system) time of the whole command,"
    echo "data reading included; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
    echo
    echo "| run | command | wall | CPU | J | J/J* - 1 | test accuracy (t10k) |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    printf '%s' "$rows"
} | tee "$MD"
