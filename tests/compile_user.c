/* The other file of the link test: the header without the implementation. */
#include "../logreg.h"

int logreg_compile_user(void) {
    float z = 0.0f, a = 0.0f;
    logreg_sigmoid(&z, &a, 1);
    return a != 0.5f;
}
