/* neon kernels: placeholder (scalar kernels) until the SIMD issue lands. */
#include "scalar.h"
#if defined(LOGREG__NEON)
static const logreg__kernels logreg__neon_kernels = {
    LOGREG_ISA_NEON,
    logreg__scalar_sigmoid,
    logreg__scalar_residual,
    logreg__scalar_grad_accumulate,
    logreg__scalar_loss_grad,
    logreg__scalar_predict_proba,
};
#endif
