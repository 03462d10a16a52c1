#ifndef SLUICE_KERNELS_AVX2_H
#define SLUICE_KERNELS_AVX2_H

#include "kernels.h"

#include <stdint.h>

/// The AVX2+FMA (and F16C) versions of the kernels in include/kernels.h, for CPUs without AVX-512
/// (AMD Zen before Zen 4, Intel before Skylake-SP, most laptops). Same contracts; kernels.c dispatches to them.
/// Built on x86-64 only.

#if defined(__x86_64__)
void sluice_avx2_skinny_product(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_avx2_skinny_product_f16(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_avx2_softmax_rows(float *x, int rows, int width);
float sluice_avx2_log_sum_exp(const float *x, int n);
void sluice_avx2_gelu(float *x, long n);
/// One query against `visible` keys, for head widths that are multiples of 8 (up to 128).
void sluice_avx2_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                        float scale, float *row, float *out);
void sluice_avx2_half_to_float(const uint16_t *half, float *out, long n);
#endif

#endif
