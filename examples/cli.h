/* cli.h - what the three tools share on their command lines: numbers from arguments, the data
   options (-f, -L, -y, -p), and a clock. The tools define _POSIX_C_SOURCE for clock_gettime. */
#ifndef LOGREG_CLI_H
#define LOGREG_CLI_H

#include <time.h>

#include "classes.h"
#include "dataio.h"

/* A whole argument as a finite double (1) or not (0). */
DATA_FN int cli_double(const char *s, double *v) {
    char *e;
    errno = 0;
    *v = strtod(s, &e);
    return e != s && *e == '\0' && errno != ERANGE && *v == *v && *v != HUGE_VAL && *v != -HUGE_VAL;
}

/* A whole argument as a size_t (1) or not (0). */
DATA_FN int cli_size(const char *s, size_t *v) {
    size_t x = 0;
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (SIZE_MAX - 9) / 10) return 0;
        x = 10 * x + (size_t)(*s - '0');
    }
    *v = x;
    return 1;
}

/* The options every tool takes about its data. */
typedef struct cli_data {
    data_spec spec;
    int one_vs_rest; /* -p given */
    double pos;      /* -p: this class -> 1, the others -> 0 */
} cli_data;

/* Takes -f, -L, -y or -p with its value: 1 if opt was one of them, 0 if not, -1 if val is bad
   (the message is in err). */
DATA_FN int cli_data_option(const char *opt, const char *val, cli_data *c, char *err, size_t errlen) {
    if (strcmp(opt, "-f") == 0) {
        if (!data_parse_format(val, &c->spec.format))
            return data_fail(err, errlen, "-f %s: expected libsvm, csv or idx", val) - 1;
    } else if (strcmp(opt, "-L") == 0) {
        c->spec.labels = val;
    } else if (strcmp(opt, "-y") == 0) {
        if (!cli_size(val, &c->spec.label_col))
            return data_fail(err, errlen, "-y %s: expected a column number (from 0)", val) - 1;
    } else if (strcmp(opt, "-p") == 0) {
        if (!cli_double(val, &c->pos)) return data_fail(err, errlen, "-p %s: expected a label", val) - 1;
        c->one_vs_rest = 1;
    } else {
        return 0;
    }
    return 1;
}

/* Loads path as c asks, with -p applied to the labels. */
DATA_FN int cli_load(const char *path, const cli_data *c, dataset *d, char *err, size_t errlen) {
    if (!data_load(path, &c->spec, d, err, errlen)) return 0;
    if (c->one_vs_rest) classes_one_vs_rest(d->y, d->n, c->pos);
    return 1;
}

/* Seconds on a monotonic clock. */
DATA_FN double cli_now(void) {
#if defined(CLOCK_MONOTONIC)
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
#else
    return (double)clock() / CLOCKS_PER_SEC;
#endif
}

#endif /* LOGREG_CLI_H */
