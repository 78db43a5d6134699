// The one-time agreement checks of sanity.h.
#include "sanity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "peers.h"

static const double kSigmoidAbs = 1e-3, kLossGradRel = 1e-4;

[[noreturn]] static void fail(const Data &d, const char *what, const char *peer, logreg_isa isa,
                              double diff, double limit) {
    std::fprintf(stderr,
                 "bench: SANITY CHECK FAILED on %s: %s of %s differs from path %s by %.3g "
                 "(limit %.0e); the peer does not compute the same work, so no ratio would mean "
                 "anything.\n",
                 d.wl->name().c_str(), what, peer, logreg_isa_name(isa), diff, limit);
    std::exit(2);
}

static double max_abs_diff(const float *a, const float *b, size_t n) {
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m = std::max(m, std::fabs((double)a[i] - (double)b[i]));
    return m;
}

static void check_sigmoid(const Data &d, const std::vector<logreg_isa> &isas) {
    const size_t n = d.n;
    Floats ours = alloc_floats(n), expf_out = alloc_floats(n), eigen_out = alloc_floats(n),
           xnn_out = alloc_floats(n);
    peers::sigmoid_expf(d.X.get(), expf_out.get(), n);
    peers::sigmoid_eigen(d.X.get(), eigen_out.get(), n);
    peers::XnnSigmoid *op = peers::xnn_sigmoid_create(d.X.get(), xnn_out.get(), n);
    if (!op || !peers::xnn_sigmoid_run(op)) {
        std::fprintf(stderr, "bench: the XNNPACK sigmoid operator failed on %s\n", d.wl->name().c_str());
        std::exit(2);
    }
    peers::xnn_sigmoid_destroy(op);
    const struct { const char *name; const float *out; } ps[] = {
        {"glibc-expf", expf_out.get()}, {"eigen", eigen_out.get()}, {"xnnpack", xnn_out.get()}};
    double worst = 0.0;
    for (logreg_isa isa : isas) {
        logreg_isa_select(isa);
        logreg_sigmoid(d.X.get(), ours.get(), n);
        for (const auto &p : ps) {
            double diff = max_abs_diff(p.out, ours.get(), n);
            if (!(diff <= kSigmoidAbs)) fail(d, "sigmoid", p.name, isa, diff, kSigmoidAbs);
            worst = std::max(worst, diff);
        }
    }
    std::fprintf(stderr, "sanity %s: sigmoid peers agree with every path, max |diff| %.2g\n",
                 d.wl->name().c_str(), worst);
}

static void check_loss_grad(const Data &d, const std::vector<logreg_isa> &isas) {
    const size_t n = d.n, m = d.m;
    Floats gw_blas = alloc_floats(m), gw = alloc_floats(m), z = alloc_floats(n);
    float gb_blas, gb;
    double loss_blas, loss, worst_loss = 0.0, worst_grad = 0.0;
    peers::blas_loss_grad(d.X.get(), n, m, m, d.y.get(), d.w.get(), d.b, z.get(), &loss_blas,
                          gw_blas.get(), &gb_blas);
    double gmax = std::fabs((double)gb_blas);
    for (size_t j = 0; j < m; j++) gmax = std::max(gmax, std::fabs((double)gw_blas[j]));
    for (logreg_isa isa : isas) {
        logreg_isa_select(isa);
        logreg_status s = logreg_loss_grad(d.X.get(), n, m, m, d.y.get(), nullptr, d.w.get(), d.b,
                                           &loss, gw.get(), &gb);
        if (s != LOGREG_OK) {
            std::fprintf(stderr, "bench: logreg_loss_grad on %s, path %s: %s\n", d.wl->name().c_str(),
                         logreg_isa_name(isa), logreg_status_string(s));
            std::exit(2);
        }
        double dl = std::fabs(loss - loss_blas) / std::fabs(loss_blas);
        double dg = std::max(max_abs_diff(gw.get(), gw_blas.get(), m),
                             std::fabs((double)gb - (double)gb_blas)) / gmax;
        if (!(dl <= kLossGradRel)) fail(d, "the loss", "openblas", isa, dl, kLossGradRel);
        if (!(dg <= kLossGradRel)) fail(d, "the gradient", "openblas", isa, dg, kLossGradRel);
        worst_loss = std::max(worst_loss, dl);
        worst_grad = std::max(worst_grad, dg);
    }
    std::fprintf(stderr,
                 "sanity %s: openblas agrees with every path: loss %.10g, rel. diff %.2g; "
                 "gradient rel. diff %.2g\n",
                 d.wl->name().c_str(), loss_blas, worst_loss, worst_grad);
}

void sanity_check(const Data &d, const std::vector<logreg_isa> &isas) {
    logreg_isa before = logreg_isa_active();
    if (d.wl->kind == Kind::Sigmoid) check_sigmoid(d, isas);
    if (d.wl->kind == Kind::LossGrad) check_loss_grad(d, isas);
    logreg_isa_select(before);
}
