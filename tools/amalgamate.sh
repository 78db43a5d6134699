#!/bin/sh
# Builds the single-file logreg.h from simd/logreg.h by inlining each #include "x.h" (once,
# from simd/) in place. Needs only sh and awk. Usage: tools/amalgamate.sh [out]  (default: logreg.h)
set -eu
cd "$(dirname "$0")/.."
out=${1:-logreg.h}
awk '
function inline(file,    line, name) {
    while ((getline line < file) > 0) {
        if (line ~ /^#include "[^"]+"/) {
            name = line
            sub(/^#include "/, "", name)
            sub(/".*$/, "", name)
            if (!(name in seen)) {
                seen[name] = 1
                print "/* ---- simd/" name " ---- */"
                inline("simd/" name)
            }
        } else {
            print line
        }
    }
    close(file)
}
BEGIN { seen["logreg.h"] = 1; inline("simd/logreg.h") }
' > "$out.tmp"
mv "$out.tmp" "$out"
