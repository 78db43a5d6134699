/* N public loss_grad calls on an n x m X, for `perf record` (where a pass's time goes):
     gcc -O2 -g -I. bench/ab/calls.c -o /tmp/calls -lm && perf record /tmp/calls 512 512 100000 && perf report */
#define LOGREG_IMPLEMENTATION
#include "logreg.h"
#include <stdio.h>
#include <stdlib.h>
#include "ab.h"
int main(int argc, char **argv) {
    size_t n = argc > 3 ? (size_t)atol(argv[1]) : 512, m = argc > 3 ? (size_t)atol(argv[2]) : 512;
    size_t calls = argc > 3 ? (size_t)atol(argv[3]) : 100000, i;
    float *X = (float *)aligned_alloc(64, (n * m * 4 + 63) / 64 * 64), *y = (float *)malloc(n * 4);
    float *w = (float *)malloc(m * 4), *g = (float *)malloc(m * 4), gb;
    double loss = 0;
    fill(X, y, w, n, m);
    for (i = 0; i < calls; i++) logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, g, &gb);
    printf("%zu calls on %zu x %zu (%s): loss %g\n", calls, n, m, logreg_isa_name(logreg_isa_active()), loss);
    return 0;
}
