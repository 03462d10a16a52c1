#ifndef SLUICE_KERNELS_AVX512_H
#define SLUICE_KERNELS_AVX512_H

#include "kernels.h"

#include <stdint.h>

/// The AVX-512F versions of the kernels in include/kernels.h (Intel Skylake-SP and later, AMD Zen 4 and later).
/// Same contracts; kernels.c dispatches to them. Built on x86-64 only.

#if defined(__x86_64__)
void sluice_avx512_skinny_product(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_avx512_skinny_product_f16(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_avx512_softmax_rows(float *x, int rows, int width);
float sluice_avx512_log_sum_exp(const float *x, int n);
void sluice_avx512_gelu(float *x, long n);
/// One query against `visible` keys, for head widths that are multiples of 16 (up to 128).
void sluice_avx512_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                          float scale, float *row, float *out);
void sluice_avx512_half_to_float(const uint16_t *half, float *out, long n);
#endif

#endif
