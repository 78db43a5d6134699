/* One build of logreg.h (HDR) behind one name (NAME), for ab.sh. */
#define LOGREG_STATIC
#define LOGREG_IMPLEMENTATION
#include HDR
#ifdef __cplusplus
extern "C"
#endif
int NAME(const float *X, size_t n, size_t m, const float *y, const float *w, float *g) {
    float gb;
    double loss;
    return logreg_loss_grad(X, n, m, m, y, NULL, w, 0.1f, &loss, g, &gb);
}
