// One-time checks, outside every timed loop, that each peer computes the same work as ours:
// every sigmoid peer within 1e-3 absolute of every path of ours, and the OpenBLAS two-pass
// loss and gradient within 1e-4 relative (the gradient relative to its largest component)
// of every path of ours. A failure prints what differs and exits; a pass prints one line
// to stderr with the largest differences found.
#ifndef LOGREG_BENCH_SANITY_H
#define LOGREG_BENCH_SANITY_H
#include <vector>

#include "../logreg.h"
#include "workloads.h"

void sanity_check(const Data &d, const std::vector<logreg_isa> &isas);

#endif
