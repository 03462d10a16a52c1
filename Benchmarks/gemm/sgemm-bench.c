// One float32 matrix product C = A·Bᵀ (row-major; A m×k, B n×k as Whisper's weights are stored) timed with one
// library: cblas_sgemm (OpenBLAS or BLIS, by what it is linked against) or oneDNN's dnnl_sgemm (-DUSE_DNNL).
// Usage: sgemm-bench M K N   -> prints "GFLOP/s" of the median of 41 runs after 3 warm-ups.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef USE_DNNL
#include <dnnl.h>
#else
#include <cblas.h>
#endif

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void product(int m, int k, int n, const float *a, const float *b, float *c) {
#ifdef USE_DNNL
    dnnl_sgemm('N', 'T', m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
#else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
#endif
}

static int ascending(const void *x, const void *y) {
    double d = *(const double *)x - *(const double *)y;
    return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
    if (argc != 4) return fprintf(stderr, "usage: sgemm-bench M K N\n"), 64;
    int m = atoi(argv[1]), k = atoi(argv[2]), n = atoi(argv[3]);
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * n * k), *c = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
    for (long i = 0; i < (long)n * k; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
    for (int i = 0; i < 3; i++) product(m, k, n, a, b, c);
    double times[41];
    for (int i = 0; i < 41; i++) {
        double start = seconds();
        product(m, k, n, a, b, c);
        times[i] = seconds() - start;
    }
    qsort(times, 41, sizeof(double), ascending);
    printf("%.1f\n", 2.0 * m * n * k / times[20] / 1e9);
    return 0;
}
