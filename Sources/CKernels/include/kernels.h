#ifndef SLUICE_KERNELS_H
#define SLUICE_KERNELS_H

#include <stdint.h>

/// Hot loops of Sluice's neural-network code, in C with AVX-512 / AVX2+FMA versions chosen at run time on
/// x86-64 (where Swift compiles for the baseline instruction set), NEON versions on aarch64, and a portable
/// fallback (the reference for the others, and the only code built on other architectures).

// MARK: - SIMD level

/// The instruction sets the kernels may use, as ranks, lowest first: each architecture's first SIMD level has
/// rank 1 (AVX2 on x86-64, NEON on aarch64), so that one cap means the same on both.
enum {
    SLUICE_SIMD_OFF = 0,     ///< Portable C only.
    SLUICE_SIMD_AVX2 = 1,    ///< x86-64: AVX2, FMA and F16C.
    SLUICE_SIMD_NEON = 1,    ///< aarch64: Advanced SIMD (always there).
    SLUICE_SIMD_AVX512 = 2,  ///< x86-64: AVX-512F (and the AVX2 set).
};

/// The level every kernel uses: the best this CPU has, capped by the environment variable SLUICE_SIMD
/// (off, avx2 or neon, avx512; unset, empty or auto: no cap). Read once, when the program starts
/// (thread-safe); a value that is not a level selects the portable code, with one warning on stderr at first use.
int sluice_simd_level(void);

/// The best level this CPU has (SLUICE_SIMD_NEON on aarch64, SLUICE_SIMD_OFF on architectures without kernels).
int sluice_simd_supported(void);

/// 1 when SLUICE_SIMD holds a value that is not a level (the program may refuse to run).
int sluice_simd_setting_invalid(void);

/// A SLUICE_SIMD value as a level cap: SLUICE_SIMD_AVX512 for NULL, "" and "auto"; -1 for a value that is not a level.
int sluice_simd_parse(const char *value);

/// A level's SLUICE_SIMD spelling on this architecture: "off", "avx2" or "avx512"; "off" or "neon" on aarch64.
const char *sluice_simd_name(int level);

// MARK: - Kernels

/// Rows of x the skinny product multiplies in one pass over the weights (a beam of up to 8 hypotheses).
#define SLUICE_SKINNY_GROUP 8

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

// MARK: - The kernels of one level

/// Every kernel above at one level, so that tests can hold each level's results against the portable code's
/// in one process. The functions above call sluice_kernels(sluice_simd_level()).
typedef struct sluice_kernel_table {
    void (*skinny_product)(const float *x, int rows, const float *w, int outputBegin, int outputEnd, int inputs,
                           float *y, int ldy);
    void (*skinny_product_f16)(const float *x, int rows, const uint16_t *w, int outputBegin, int outputEnd,
                               int inputs, float *y, int ldy);
    void (*softmax_rows)(float *x, int rows, int width);
    float (*log_sum_exp)(const float *x, int n);
    void (*gelu)(float *x, long n);
    void (*attention_few)(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                          int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout);
    void (*half_to_float)(const uint16_t *half, float *out, long n);
} sluice_kernel_table;

/// The kernels of `level`, lowered to what this CPU has (never an instruction set it lacks).
const sluice_kernel_table *sluice_kernels(int level);

#endif
