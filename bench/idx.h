/* Reads an uncompressed idx file (the MNIST / Fashion-MNIST format): a big-endian header
   0x00 0x00 0x08 <ndim> (0x08 = unsigned bytes), ndim big-endian 32-bit sizes, then the
   bytes. Shared by the benchmark harness (C++) and bench/objective.c (C99). */
#ifndef LOGREG_BENCH_IDX_H
#define LOGREG_BENCH_IDX_H
#include <stdio.h>
#include <stdlib.h>

/* Returns the data (malloc'd; free it) and sets *count = the first size (images or labels)
   and *size = the product of the others (784 for 28x28 images, 1 for labels). On failure
   returns NULL and points *err at the reason. */
static unsigned char *idx_read(const char *path, size_t *count, size_t *size, const char **err) {
    unsigned char h[4], d[4], *data = NULL;
    size_t total = 1, k;
    FILE *f = fopen(path, "rb");
    *err = "cannot open";
    if (!f) return NULL;
    *err = "not an idx file of unsigned bytes";
    if (fread(h, 1, 4, f) != 4 || h[0] || h[1] || h[2] != 0x08 || h[3] < 1 || h[3] > 4) goto done;
    *size = 1;
    for (k = 0; k < h[3]; k++) {
        size_t dim;
        if (fread(d, 1, 4, f) != 4) goto done;
        dim = (size_t)d[0] << 24 | (size_t)d[1] << 16 | (size_t)d[2] << 8 | d[3];
        if (k == 0) *count = dim;
        else *size *= dim;
        total *= dim;
    }
    *err = "out of memory";
    data = (unsigned char *)malloc(total ? total : 1);
    if (!data) goto done;
    *err = "file shorter than its header says";
    if (fread(data, 1, total, f) != total) {
        free(data);
        data = NULL;
    }
done:
    fclose(f);
    return data;
}
#endif
