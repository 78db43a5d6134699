/* avx2 kernels: placeholder (scalar kernels) until the SIMD issue lands. */
#include "scalar.h"
#if defined(LOGREG__X86)
static const logreg__kernels logreg__avx2_kernels = {
    LOGREG_ISA_AVX2,
    logreg__scalar_sigmoid,
    logreg__scalar_residual,
    logreg__scalar_grad_accumulate,
    logreg__scalar_loss_grad,
    logreg__scalar_predict_proba,
};
#endif
