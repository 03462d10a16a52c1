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

/// log(sum(exp(x))) over n values; -inf when all are -inf.
float sluice_log_sum_exp(const float *x, int n);

/// GELU (exact form, 0.5 x (1 + erf(x / sqrt 2)), erf to 1.5e-7) over n values, in place.
void sluice_gelu(float *x, long n);

/// Scaled dot-product attention of one head for a few queries, without BLAS: q (queries × ldq), k and v
/// (keys × ldkv, this head's first headWidth values), causalOffset ≥ 0 lets query i see keys 0...i + offset
/// (negative: all keys); scores is queries × keys scratch (left holding the probabilities); out is queries × ldout.
void sluice_attention_few(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                          int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout);

/// IEEE half bit patterns to float32 (exact).
void sluice_half_to_float(const uint16_t *half, float *out, long n);

#endif
