#include "kernels.h"
#include "kernels_avx2.h"
#include "kernels_avx512.h"
#include "kernels_neon.h"

#include <math.h>
#include <stdint.h>

// The portable kernels (the reference the SIMD versions are tested against, and the only ones built on
// architectures other than x86-64 and aarch64), one table of kernels per level, and the public functions,
// which use the table of sluice_simd_level().

// MARK: - Skinny product

/// dot(a, b) over n values in 8 partial sums, a loop that compilers vectorize for the baseline instruction set
/// (SSE2, NEON, ...) without reassociating floating point: 4-8 times the speed of one running sum.
static inline float dot_portable(const float *a, const float *b, int n) {
    float partial[8] = {0};
    const int blocks = n / 8 * 8;
    for (int i = 0; i < blocks; i += 8)
        for (int l = 0; l < 8; l++) partial[l] += a[i + l] * b[i + l];
    float total = ((partial[0] + partial[4]) + (partial[1] + partial[5])) + ((partial[2] + partial[6]) + (partial[3] + partial[7]));
    for (int i = blocks; i < n; i++) total += a[i] * b[i];
    return total;
}

/// IEEE half to float32 (exact) without branches, so that a loop of it vectorizes: the exponent is rebiased,
/// infinities and NaNs get the top exponent, subnormals are normalized by subtracting 2^-14.
static inline float half_to_float_branchless(uint16_t half) {
    union { uint32_t bits; float value; } out = {(uint32_t)(half & 0x7FFF) << 13}, subnormal;
    const uint32_t exponent = out.bits & 0x0F800000u;
    out.bits += (127 - 15) << 23;
    subnormal.bits = out.bits + (1u << 23);
    subnormal.value -= 0x1p-14f;
    out.bits = exponent == 0x0F800000u ? out.bits + ((128 - 16) << 23) : (exponent == 0 ? subnormal.bits : out.bits);
    out.bits |= (uint32_t)(half & 0x8000) << 16;
    return out.value;
}

static void half_to_float_portable(const uint16_t *half, float *out, long n) {
    for (long i = 0; i < n; i++) out[i] = half_to_float_branchless(half[i]);
}

/// Each weight row is read once for all rows of x (it stays in L1 between them).
static void skinny_product_portable(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y,
                                    int ldy) {
    for (int o = begin; o < end; o++)
        for (int r = 0; r < rows; r++) y[(long)r * ldy + o] += dot_portable(w + (long)o * inputs, x + (long)r * inputs, inputs);
}

/// Weight rows widened a chunk at a time into a float buffer, then as the float32 version.
static void skinny_product_f16_portable(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs,
                                        float *y, int ldy) {
    enum { chunk = 512 };
    float widened[chunk];
    for (int o = begin; o < end; o++)
        for (int first = 0; first < inputs; first += chunk) {
            const int count = inputs - first < chunk ? inputs - first : chunk;
            half_to_float_portable(w + (long)o * inputs + first, widened, count);
            for (int r = 0; r < rows; r++) y[(long)r * ldy + o] += dot_portable(widened, x + (long)r * inputs + first, count);
        }
}

// MARK: - Softmax and log-sum-exp

static void softmax_portable(float *x, int rows, int width) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        float maximum = -INFINITY;
        for (int i = 0; i < width; i++) maximum = row[i] > maximum ? row[i] : maximum;
        if (maximum == -INFINITY) continue;
        float sum = 0;
        for (int i = 0; i < width; i++) {
            row[i] = expf(row[i] - maximum);
            sum += row[i];
        }
        const float inverse = 1.0f / sum;
        for (int i = 0; i < width; i++) row[i] *= inverse;
    }
}

static float log_sum_exp_portable(const float *x, int n) {
    float maximum = -INFINITY;
    for (int i = 0; i < n; i++) maximum = x[i] > maximum ? x[i] : maximum;
    if (maximum == -INFINITY) return -INFINITY;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += expf(x[i] - maximum);
    return maximum + (float)log(sum);
}

// MARK: - GELU

static void gelu_portable(float *x, long n) {
    for (long i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

// MARK: - Attention for a few queries

/// One query against `visible` keys (the first `visible` of `keys`; the rest get probability 0).
typedef void (*attend_one)(const float *q, const float *k, const float *v, int ldkv, int visible, int keys,
                           int headWidth, float scale, float *row, float *out);

static void attend_portable(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                            float scale, float *row, float *out) {
    for (int j = 0; j < visible; j++) {
        float dot = 0;
        const float *kj = k + (long)j * ldkv;
        for (int c = 0; c < headWidth; c++) dot += q[c] * kj[c];
        row[j] = dot * scale;
    }
    for (int j = visible; j < keys; j++) row[j] = -INFINITY;
    softmax_portable(row, 1, keys);
    for (int c = 0; c < headWidth; c++) out[c] = 0;
    for (int j = 0; j < visible; j++) {
        const float *vj = v + (long)j * ldkv;
        for (int c = 0; c < headWidth; c++) out[c] += row[j] * vj[c];
    }
}

/// Every query through `attend`, each seeing the keys its causal offset allows.
static void attend_queries(attend_one attend, const float *q, int ldq, int queries, const float *k, const float *v,
                           int ldkv, int keys, int headWidth, float scale, int causalOffset, float *scores, float *out,
                           int ldout) {
    for (int i = 0; i < queries; i++) {
        const int visible = causalOffset < 0 ? keys : (i + causalOffset + 1 < keys ? i + causalOffset + 1 : keys);
        attend(q + (long)i * ldq, k, v, ldkv, visible, keys, headWidth, scale, scores + (long)i * keys, out + (long)i * ldout);
    }
}

static void attention_few_portable(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv,
                                   int keys, int headWidth, float scale, int causalOffset, float *scores, float *out,
                                   int ldout) {
    attend_queries(attend_portable, q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores, out, ldout);
}

#if defined(__x86_64__)
/// The AVX2 loop needs a head width that is a multiple of 8 (up to 128); others take the portable one.
static attend_one attend_avx2_for(int headWidth) {
    return headWidth % 8 == 0 && headWidth <= 128 ? sluice_avx2_attend : attend_portable;
}

static void attention_few_avx2(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                               int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout) {
    attend_queries(attend_avx2_for(headWidth), q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores,
                   out, ldout);
}

/// The AVX-512 loop needs a multiple of 16 (up to 128); others take the AVX2 choice.
static void attention_few_avx512(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                                 int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout) {
    const attend_one attend = headWidth % 16 == 0 && headWidth <= 128 ? sluice_avx512_attend : attend_avx2_for(headWidth);
    attend_queries(attend, q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores, out, ldout);
}
#endif

#if defined(__aarch64__)
/// The NEON loop needs a head width that is a multiple of 4 (up to 128); others take the portable one.
static void attention_few_neon(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                               int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout) {
    const attend_one attend = headWidth % 4 == 0 && headWidth <= 128 ? sluice_neon_attend : attend_portable;
    attend_queries(attend, q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores, out, ldout);
}
#endif

// MARK: - Widening

// MARK: - Tables and dispatch

static const sluice_kernel_table portable = {
    skinny_product_portable, skinny_product_f16_portable, softmax_portable, log_sum_exp_portable,
    gelu_portable, attention_few_portable, half_to_float_portable,
};

#if defined(__x86_64__)
static const sluice_kernel_table avx2 = {
    sluice_avx2_skinny_product, sluice_avx2_skinny_product_f16, sluice_avx2_softmax_rows, sluice_avx2_log_sum_exp,
    sluice_avx2_gelu, attention_few_avx2, sluice_avx2_half_to_float,
};

static const sluice_kernel_table avx512 = {
    sluice_avx512_skinny_product, sluice_avx512_skinny_product_f16, sluice_avx512_softmax_rows,
    sluice_avx512_log_sum_exp, sluice_avx512_gelu, attention_few_avx512, sluice_avx512_half_to_float,
};
#endif

#if defined(__aarch64__)
static const sluice_kernel_table neon = {
    sluice_neon_skinny_product, sluice_neon_skinny_product_f16, sluice_neon_softmax_rows, sluice_neon_log_sum_exp,
    sluice_neon_gelu, attention_few_neon, sluice_neon_half_to_float,
};
#endif

const sluice_kernel_table *sluice_kernels(int level) {
    const int supported = sluice_simd_supported();
    if (level > supported) level = supported;
#if defined(__x86_64__)
    if (level >= SLUICE_SIMD_AVX512) return &avx512;
    if (level == SLUICE_SIMD_AVX2) return &avx2;
#elif defined(__aarch64__)
    if (level >= SLUICE_SIMD_NEON) return &neon;
#endif
    return &portable;
}

/// The table of sluice_simd_level(), looked up once (every thread finds the same one, so a race only repeats it).
static const sluice_kernel_table *active(void) {
    static const sluice_kernel_table *_Atomic chosen = 0;
    const sluice_kernel_table *table = chosen;
    if (!table) chosen = table = sluice_kernels(sluice_simd_level());
    return table;
}

void sluice_skinny_product(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy) {
    active()->skinny_product(x, rows, w, begin, end, inputs, y, ldy);
}

void sluice_skinny_product_f16(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y,
                               int ldy) {
    active()->skinny_product_f16(x, rows, w, begin, end, inputs, y, ldy);
}

void sluice_softmax_rows(float *x, int rows, int width) { active()->softmax_rows(x, rows, width); }

float sluice_log_sum_exp(const float *x, int n) { return active()->log_sum_exp(x, n); }

void sluice_gelu(float *x, long n) { active()->gelu(x, n); }

void sluice_attention_few(const float *q, int ldq, int queries, const float *k, const float *v, int ldkv, int keys,
                          int headWidth, float scale, int causalOffset, float *scores, float *out, int ldout) {
    active()->attention_few(q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores, out, ldout);
}

void sluice_half_to_float(const uint16_t *half, float *out, long n) { active()->half_to_float(half, out, n); }
