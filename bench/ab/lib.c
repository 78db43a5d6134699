/* One build of logreg.h (HDR) behind one name (NAME), for ab.sh; -DAB_ISA=LOGREG_ISA_AVX2 (say)
   forces this build's path, so that CFA and CFB can compare two paths. */
#define LOGREG_STATIC
#define LOGREG_IMPLEMENTATION
#include HDR
#ifdef __cplusplus
extern "C"
#endif
int NAME(const float *X, size_t n, size_t m, const float *y, const float *w, float *g) {
    float gb;
    double loss;
#ifdef AB_ISA
    static int once;
    if (!once) once = 1, logreg_isa_select(AB_ISA);
#endif
    return logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, g, &gb);
}
