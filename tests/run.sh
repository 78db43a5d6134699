#!/bin/sh
# make check: every test, with every compiler and mode this machine has. Prints one line per
# failure and ends with "N passed, N failed". A missing tool (clang, qemu, the aarch64 or armhf
# cross compiler, the Fashion-MNIST package) is a SKIP line; LOGREG_STRICT=1 (set by .ci/run) turns
# every SKIP into a failure.
set -u
cd "$(dirname "$0")/.."
B=build/test
mkdir -p "$B"
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
WARN="-Wall -Wextra -Wpedantic -Werror"
STRICT=${LOGREG_STRICT:-0}
passed=0
failed=0

skip() {
    echo "SKIP: $1"
    if [ "$STRICT" = 1 ]; then
        echo "FAIL: strict mode: the step above was skipped"
        failed=$((failed + 1))
    fi
}

# one NAME COMMAND...: the command's exit status is one test.
one() {
    name=$1
    shift
    if "$@" >"$B/$name.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: $*"
        tail -n 15 "$B/$name.log" | sed 's/^/    /'
    fi
}

# suite NAME COMMAND...: a harness binary; adds up its "N passed, N failed" line.
suite() {
    name=$1
    shift
    "$@" >"$B/$name.log" 2>&1
    rc=$?
    grep -E '^(FAIL|SKIP|sigmoid |  )' "$B/$name.log" | sed "s|^|[$name] |"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$B/$name.log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: no result line (exit status $rc)"
        tail -n 15 "$B/$name.log" | sed 's/^/    /'
        failed=$((failed + 1))
        return
    fi
    p=${line%% passed*}
    f=${line#*, }
    f=${f%% failed}
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL $name: exit status $rc"
        failed=$((failed + 1))
    fi
    if grep -q '^SKIP' "$B/$name.log" && [ "$STRICT" = 1 ]; then
        echo "FAIL $name: strict mode: it skipped something"
        failed=$((failed + 1))
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

echo "== the committed logreg.h is a fresh amalgamation of simd/"
sh tools/amalgamate.sh "$B/logreg.h.fresh"
one amalgamation cmp logreg.h "$B/logreg.h.fresh"

echo "== compiles warning-free as C99, C11 and C++11 (gcc, clang), static, scalar-only"
for c in gcc clang; do
    if ! have $c; then skip "$c not installed: its compile checks"; continue; fi
    for std in c99 c11; do
        one "compile-$c-$std" $c -std=$std $WARN -O2 tests/compile.c tests/compile_user.c -o "$B/compile-$c-$std" -lm
        one "run-$c-$std" "$B/compile-$c-$std"
    done
    one "compile-$c-static" $c -std=c99 $WARN -DLOGREG_STATIC tests/compile.c -o "$B/compile-static" -lm
    one "compile-$c-nosimd" $c -std=c99 $WARN -DLOGREG_NO_SIMD tests/compile.c tests/compile_user.c -o "$B/compile-nosimd" -lm
done
for c in g++ clang++; do
    if ! have $c; then skip "$c not installed: its C++ compile check"; continue; fi
    one "compile-$c-c++11" $c -std=c++11 $WARN -O2 -x c++ tests/compile.c -x c++ tests/compile_user.c -o "$B/compile-$c"
    one "run-$c-c++11" "$B/compile-$c"
done

echo "== unit tests (every path this CPU has)"
for t in test_kernels test_train test_errors test_dispatch test_io sigmoid_sweep; do
    one "build-$t" $CC -std=c99 $WARN $CFLAGS -I. "tests/$t.c" -o "$B/$t" -lm -lpthread
done
if [ -d /usr/share/datasets/fashion-mnist ]; then
    make -s --no-print-directory fmnist >/dev/null
fi
suite kernels "$B/test_kernels"
suite train "$B/test_train"
suite errors "$B/test_errors"
suite io "$B/test_io"

echo "== dispatch: LOGREG_ISA, threads racing to the first call (also under ThreadSanitizer)"
for isa in "" scalar avx2 avx512 neon auto bogus; do
    suite "dispatch-${isa:-unset}" env LOGREG_ISA="$isa" "$B/test_dispatch"
done
suite dispatch-race "$B/test_dispatch" race
suite dispatch-select-race "$B/test_dispatch" select-race
if $CC -std=c99 -O1 -g -fsanitize=thread tests/test_dispatch.c -o "$B/test_dispatch_tsan" -lm -lpthread >"$B/tsan-build.log" 2>&1; then
    suite dispatch-race-tsan env TSAN_OPTIONS=halt_on_error=1 "$B/test_dispatch_tsan" race
    suite dispatch-select-race-tsan env TSAN_OPTIONS=halt_on_error=1 "$B/test_dispatch_tsan" select-race
else
    skip "ThreadSanitizer build failed (see $B/tsan-build.log)"
fi

echo "== the suites again under AddressSanitizer and UndefinedBehaviorSanitizer"
SAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
for t in test_kernels test_train test_errors test_io; do
    if $CC -std=c99 $WARN $SAN -I. "tests/$t.c" -o "$B/$t-asan" -lm -lpthread >"$B/$t-asan-build.log" 2>&1; then
        suite "$t-asan" env ASAN_OPTIONS=detect_leaks=1 "$B/$t-asan"
    else
        echo "FAIL $t-asan: build failed"
        tail -n 15 "$B/$t-asan-build.log"
        failed=$((failed + 1))
    fi
done

echo "== a CPU without AVX (qemu-x86_64 -cpu Westmere): the same binaries take the scalar path"
if have qemu-x86_64; then
    suite westmere-errors qemu-x86_64 -cpu Westmere "$B/test_errors"
    suite westmere-dispatch env LOGREG_ISA=avx2 qemu-x86_64 -cpu Westmere "$B/test_dispatch"
    one westmere-is-scalar sh -c "LOGREG_ISA=avx512 qemu-x86_64 -cpu Westmere $B/test_dispatch | grep -q -- '-> scalar'"
else
    skip "qemu-x86_64 not installed (package qemu-user): the no-AVX run"
fi

echo "== sigmoid over all 2^32 floats, every path, against double precision"
suite sweep "$B/sigmoid_sweep"

# cross DIR CC EMULATOR...: the tests built for another CPU (static) and run on its NEON path
# under an emulator; the sigmoid on every 61st float (all 2^32 under emulation take 10 CPU-minutes
# on aarch64, which .ci/run does with make check-neon-sweep, and 30 on armhf, done by hand)
cross() {
    x=$1
    xcc=$2
    D="$B/$x"
    shift 2
    mkdir -p "$D"
    for t in test_kernels test_train test_errors test_dispatch sigmoid_sweep; do
        one "build-$x-$t" $xcc -static -std=c99 $WARN -O2 "tests/$t.c" -o "$D/$t" -lm -lpthread
    done
    suite "$x-kernels" "$@" "$D/test_kernels" neon
    suite "$x-train" "$@" "$D/test_train" neon
    suite "$x-errors" "$@" "$D/test_errors" neon
    suite "$x-dispatch" env LOGREG_ISA=neon "$@" "$D/test_dispatch"
    suite "$x-sweep" "$@" "$D/sigmoid_sweep" --stride=61 neon
}

echo "== NEON: cross-compiled for aarch64, run under qemu-aarch64"
if have aarch64-linux-gnu-gcc && have qemu-aarch64; then
    cross aarch64 aarch64-linux-gnu-gcc qemu-aarch64
else
    skip "aarch64-linux-gnu-gcc or qemu-aarch64 missing (packages gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user): the NEON path"
fi

echo "== NEON on 32-bit ARM: cross-compiled for armhf (flags without NEON), run under qemu-arm"
if have arm-linux-gnueabihf-gcc && have qemu-arm; then
    cross armhf arm-linux-gnueabihf-gcc qemu-arm
    # found at run time: a Cortex-A15 (NEON, VFPv4) takes the path, a Cortex-A9 (no VFPv4 FMA) cannot
    one armhf-a15-is-neon sh -c "qemu-arm -cpu cortex-a15 $B/armhf/test_dispatch | grep -q -- 'unset) -> neon'"
    one armhf-a9-is-scalar sh -c "LOGREG_ISA=neon qemu-arm -cpu cortex-a9 $B/armhf/test_dispatch | grep -q -- '-> scalar'"
    if have clang; then # the path the flags promise: no target attributes, no getauxval
        one build-armhf-clang clang --target=arm-linux-gnueabihf -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard \
            -static -std=c99 $WARN -O2 tests/test_kernels.c -o "$B/armhf/test_kernels-clang" -lm -lpthread
        suite armhf-clang-kernels qemu-arm "$B/armhf/test_kernels-clang" neon
    else
        skip "clang not installed: the 32-bit NEON path built from -mfpu=neon-vfpv4"
    fi
else
    skip "arm-linux-gnueabihf-gcc or qemu-arm missing (packages gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user): the 32-bit NEON path"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
