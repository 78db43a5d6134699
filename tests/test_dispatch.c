/* The path chosen at the first call: LOGREG_ISA (set by the caller) when it names an available
   path, else the best one; the same for threads racing to that first call; a concurrent
   logreg_isa_select is never undone. Run it under ThreadSanitizer too.
   usage: test_dispatch [race | select-race]        (LOGREG_ISA in the environment) */
#define _POSIX_C_SOURCE 200809L
#define LOGREG_IMPLEMENTATION
#include "../logreg.h"
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#define THREADS 8
static pthread_barrier_t start;
static logreg_isa seen[THREADS];

static void *first_call(void *arg) {
    float z[20] = {1, 2, 3}, a[20];
    pthread_barrier_wait(&start);
    logreg_sigmoid(z, a, 20);
    seen[(size_t)arg] = logreg_isa_active();
    return NULL;
}

/* What the environment asks for, resolved as the library must: the named path if available. */
static logreg_isa wanted(void) {
    const char *env = getenv("LOGREG_ISA");
    int i;
    for (i = LOGREG_ISA_SCALAR; i <= LOGREG_ISA_NEON; i++)
        if (env && strcmp(env, logreg_isa_name((logreg_isa)i)) == 0 && logreg_isa_available((logreg_isa)i))
            return (logreg_isa)i;
    return LOGREG_ISA_AUTO; /* the best one */
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "single";
    const char *env = getenv("LOGREG_ISA");
    pthread_t t[THREADS];
    logreg_isa first, best;
    size_t i;
    int agree = 1;
    pthread_barrier_init(&start, NULL, strcmp(mode, "select-race") == 0 ? THREADS + 1 : THREADS);
    if (strcmp(mode, "single") == 0) {
        first = logreg_isa_active();
    } else {
        for (i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, first_call, (void *)i);
        if (strcmp(mode, "select-race") == 0) {
            pthread_barrier_wait(&start);
            logreg_isa_select(LOGREG_ISA_SCALAR);
        }
        for (i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
        first = seen[0];
        for (i = 1; i < THREADS; i++) agree &= seen[i] == first;
    }
    if (strcmp(mode, "select-race") == 0) {
        CHECK(logreg_isa_active() == LOGREG_ISA_SCALAR, "a select racing the first calls was undone: active %s",
              logreg_isa_name(logreg_isa_active()));
    } else {
        logreg_isa want = wanted();
        CHECK(agree, "threads racing to the first call saw different paths");
        CHECK(logreg_isa_select(LOGREG_ISA_AUTO) == LOGREG_OK, "select(auto) failed");
        best = logreg_isa_active();
        CHECK(first == (want ? want : best), "LOGREG_ISA=%s: first call chose %s, want %s", env ? env : "(unset)",
              logreg_isa_name(first), logreg_isa_name(want ? want : best));
        printf("LOGREG_ISA=%s -> %s (%s)\n", env ? env : "(unset)", logreg_isa_name(first), mode);
    }
    pthread_barrier_destroy(&start);
    return test_finish();
}
