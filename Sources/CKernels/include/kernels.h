#ifndef SLUICE_KERNELS_H
#define SLUICE_KERNELS_H

#include <stdint.h>

/// Hot loops of Sluice's neural-network code, in C with AVX-512 / AVX2+FMA versions chosen at run time
/// (and a portable fallback), because Swift compiles for the baseline x86-64 instruction set.

/// y[r][o] += dot(x[r], w[o]) for r < rows, o in [outputBegin, outputEnd); x is rows × inputs,
/// w is outputs × inputs, y is rows × ldy (all row-major). For a few rows (≤ 8): w is streamed once.
void sluice_skinny_product(const float *x, int rows, const float *w, int outputBegin, int outputEnd, int inputs,
                           float *y, int ldy);

/// As sluice_skinny_product with float16 weights (IEEE half bit patterns), widened to float32 before
/// each product: the same results as float32 weights holding those values, at half the memory traffic.
void sluice_skinny_product_f16(const float *x, int rows, const uint16_t *w, int outputBegin, int outputEnd, int inputs,
                               float *y, int ldy);

/// Softmax of each row of x (rows × width), in place; -inf entries become 0.
void sluice_softmax_rows(float *x, int rows, int width);

#endif
