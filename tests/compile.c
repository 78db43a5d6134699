/* Compiles logreg.h with its implementation (as C99, C11 and C++11, see tests/run.sh), touches
   every public name, and links against a second file that includes the header only. */
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "../logreg.h" /* a second include changes nothing */

#ifndef LOGREG_STATIC
int logreg_compile_user(void); /* compile_user.c */
#endif

int main(void) {
    static const float X[6] = {1.0f, 2.0f, 3.0f, -1.0f, -2.0f, 0.5f}, y[3] = {1.0f, 0.0f, 1.0f};
    float w[2] = {0.0f, 0.0f}, b = 0.0f, p[3], r[3], g[2] = {0.0f, 0.0f}, gw[2], gb;
    double loss;
    int bad = 0;
    logreg_options o;
    logreg_report rep;
    logreg_progress pr;
    memset(&o, 0, sizeof o);
    memset(&pr, 0, sizeof pr);
    bad |= logreg_isa_select(LOGREG_ISA_AUTO) != LOGREG_OK;
    bad |= logreg_isa_active() == LOGREG_ISA_AUTO || !logreg_isa_available(LOGREG_ISA_SCALAR);
    bad |= logreg_isa_name(LOGREG_ISA_NEON)[0] != 'n' || !logreg_status_string(LOGREG_ERR_UNSUPPORTED);
    bad |= !logreg_stop_string(LOGREG_STOP_STALLED);
    logreg_sigmoid(y, p, 3);
    bad |= logreg_residual(X, 3, 2, 2, w, b, y, r) != LOGREG_OK;
    bad |= logreg_grad_accumulate(X, 3, 2, 2, r, g) != LOGREG_OK;
    bad |= logreg_loss_grad(X, 3, 2, 2, y, NULL, w, b, &loss, gw, &gb) != LOGREG_OK;
    o.solver = LOGREG_SOLVER_LBFGS;
    o.l2 = 0.1f;
    bad |= logreg_train(X, 3, 2, 2, y, &o, w, &b, &rep) != LOGREG_OK || rep.stop != LOGREG_STOP_CONVERGED;
    bad |= logreg_predict_proba(X, 3, 2, 2, w, b, p) != LOGREG_OK;
#ifndef LOGREG_STATIC
    bad |= logreg_compile_user();
#endif
    return bad;
}
