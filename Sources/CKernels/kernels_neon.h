#ifndef SLUICE_KERNELS_NEON_H
#define SLUICE_KERNELS_NEON_H

#include "kernels.h"

#include <stdint.h>

/// The NEON (Advanced SIMD) versions of the kernels in include/kernels.h, for aarch64 (Graviton, Ampere,
/// Apple silicon under Linux, Raspberry Pi 4 and later). Same contracts; kernels.c dispatches to them.
/// Built on aarch64 only.

#if defined(__aarch64__)
void sluice_neon_skinny_product(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_neon_skinny_product_f16(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y, int ldy);
void sluice_neon_softmax_rows(float *x, int rows, int width);
float sluice_neon_log_sum_exp(const float *x, int n);
void sluice_neon_gelu(float *x, long n);
/// One query against `visible` keys, for head widths that are multiples of 4 (up to 128).
void sluice_neon_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                        float scale, float *row, float *out);
void sluice_neon_half_to_float(const uint16_t *half, float *out, long n);
#endif

#endif
