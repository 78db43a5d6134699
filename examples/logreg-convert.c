/* logreg-convert: any input the tools read -> libsvm text (sparse, indices from 1, values as
   %.9g, which reads back as the same float), e.g. to feed the same data to LIBLINEAR. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

static void usage(void) {
    fputs("usage: logreg-convert [options] in_file out_file\n"
          "  -f libsvm|csv|idx  the format of in_file (default: .csv -> csv, idx3 in the name -> idx,\n"
          "                     else libsvm)\n"
          "  -L labels_file     idx labels (default: in_file with images-idx3 -> labels-idx1)\n"
          "  -y col             CSV label column, from 0 (default 0)\n"
          "  -p K               labels: class K -> 1, every other class -> 0\n",
          stderr);
    exit(1);
}

static int write_libsvm(const char *path, const dataset *d) {
    FILE *f = fopen(path, "w");
    char lab[32];
    size_t i, j;
    int ok;
    if (!f) return 0;
    for (i = 0; i < d->n; i++) {
        const float *x = d->X + i * d->m;
        fputs(data_label_str(d->y[i], lab), f);
        for (j = 0; j < d->m; j++)
            if (x[j] != 0.0f) fprintf(f, " %zu:%.9g", j + 1, (double)x[j]);
        fputc('\n', f);
    }
    ok = !ferror(f);
    return fclose(f) == 0 && ok;
}

int main(int argc, char **argv) {
    cli_data cd;
    dataset d;
    char err[512];
    int i;
    memset(&cd, 0, sizeof cd);
    memset(&d, 0, sizeof d);
    for (i = 1; i + 1 < argc && argv[i][0] == '-' && argv[i][1]; i += 2) {
        int r = cli_data_option(argv[i], argv[i + 1], &cd, err, sizeof err);
        if (r < 0) fprintf(stderr, "logreg-convert: %s\n", err), exit(1);
        if (r == 0) usage();
    }
    if (argc - i != 2) usage();
    if (!cli_load(argv[i], &cd, &d, err, sizeof err)) {
        fprintf(stderr, "logreg-convert: %s\n", err);
        return 1;
    }
    if (!write_libsvm(argv[i + 1], &d)) {
        fprintf(stderr, "logreg-convert: %s: %s\n", argv[i + 1], strerror(errno));
        remove(argv[i + 1]);
        return 1;
    }
    data_free(&d);
    return 0;
}
