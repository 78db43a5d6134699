/* A minimal test harness: CHECK prints one line per failure; test_finish prints the line
   "N passed, N failed" that tests/run.sh adds up, and gives the exit code. */
#ifndef LOGREG_TEST_HARNESS_H
#define LOGREG_TEST_HARNESS_H
#include <stdio.h>
#include <string.h>

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

/* Paths named on the command line, or all when none is named. */
static inline int test_wants(int argc, char **argv, const char *path) {
    int i;
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], path) == 0) return 1;
    return argc < 2;
}

static int test_finish(void) {
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed != 0;
}
#endif
