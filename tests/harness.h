/* A minimal test harness: CHECK prints one line per failure; test_finish prints the line
   "N passed, N failed" that tests/run.sh adds up, and gives the exit code. */
#ifndef LOGREG_TEST_HARNESS_H
#define LOGREG_TEST_HARNESS_H
#include <stdio.h>

static int test_passed, test_failed;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            test_passed++;                                                \
        } else {                                                          \
            test_failed++;                                                \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                   \
            printf(__VA_ARGS__);                                          \
            printf("\n");                                                 \
            fflush(stdout);                                               \
        }                                                                 \
    } while (0)

static int test_finish(void) {
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed != 0;
}
#endif
