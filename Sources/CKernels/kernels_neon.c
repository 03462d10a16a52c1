#include "kernels_neon.h"

#if defined(__aarch64__)

#include "half.h"

#include <arm_neon.h>
#include <math.h>
#include <stdint.h>

// MARK: - Skinny product

#define LOAD_F32(p) vld1q_f32(p)
#define LOAD_F16(p) vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p)))
#define SCALAR_F32(value) (value)
#define SCALAR_F16(value) half_to_float(value)

/// y[r][o] += dot(x[r], w[o]) for ROWS rows of x, OUTS outputs at a time (ROWS × OUTS accumulators, within
/// NEON's 32 registers with the weights and x).
#define SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, ROWS, OUTS)                                                     \
    static void NAME##_##ROWS(const float *x, const WEIGHT *w, int begin, int end, int inputs, float *y,        \
                              int ldy) {                                                                      \
        const int vectors = inputs / 4, tail = vectors * 4;                                                   \
        int o = begin;                                                                                        \
        for (; o + OUTS <= end; o += OUTS) {                                                                  \
            const WEIGHT *w0 = w + (long)o * inputs;                                                          \
            float32x4_t acc[ROWS][OUTS];                                                                      \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) acc[r][j] = vdupq_n_f32(0);                                    \
            for (int v = 0; v < vectors; v++) {                                                               \
                float32x4_t a[OUTS];                                                                          \
                for (int j = 0; j < OUTS; j++) a[j] = LOAD(w0 + (long)j * inputs + v * 4);                     \
                for (int r = 0; r < ROWS; r++) {                                                              \
                    const float32x4_t b = vld1q_f32(x + (long)r * inputs + v * 4);                            \
                    for (int j = 0; j < OUTS; j++) acc[r][j] = vfmaq_f32(acc[r][j], a[j], b);                 \
                }                                                                                             \
            }                                                                                                 \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) {                                                              \
                    float total = vaddvq_f32(acc[r][j]);                                                      \
                    for (int i = tail; i < inputs; i++) total += SCALAR(w0[(long)j * inputs + i]) * x[(long)r * inputs + i]; \
                    y[(long)r * ldy + o + j] += total;                                                        \
                }                                                                                             \
        }                                                                                                     \
        for (; o < end; o++)                                                                                  \
            for (int r = 0; r < ROWS; r++) {                                                                  \
                float total = 0;                                                                              \
                for (int i = 0; i < inputs; i++) total += SCALAR(w[(long)o * inputs + i]) * x[(long)r * inputs + i]; \
                y[(long)r * ldy + o] += total;                                                                \
            }                                                                                                 \
    }

/// The dispatcher over row groups of up to 8 (a beam of 5–8 hypotheses streams the weights once).
#define SKINNY_PRODUCT_NEON(NAME, WEIGHT, LOAD, SCALAR)                                                        \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 1, 4)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 2, 4)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 3, 4)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 4, 4)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 5, 3)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 6, 3)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 7, 2)                                                             \
    SKINNY_NEON(NAME, WEIGHT, LOAD, SCALAR, 8, 2)                                                             \
    void NAME(const float *x, int rows, const WEIGHT *w, int begin, int end, int inputs, float *y, int ldy) {  \
        for (int first = 0; first < rows; first += SLUICE_SKINNY_GROUP) {                                     \
            const int count = rows - first < SLUICE_SKINNY_GROUP ? rows - first : SLUICE_SKINNY_GROUP;        \
            const float *xs = x + (long)first * inputs;                                                       \
            float *ys = y + (long)first * ldy;                                                                \
            switch (count) {                                                                                  \
            case 1: NAME##_1(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 2: NAME##_2(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 3: NAME##_3(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 4: NAME##_4(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 5: NAME##_5(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 6: NAME##_6(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            case 7: NAME##_7(xs, w, begin, end, inputs, ys, ldy); break;                                      \
            default: NAME##_8(xs, w, begin, end, inputs, ys, ldy); break;                                     \
            }                                                                                                 \
        }                                                                                                     \
    }

SKINNY_PRODUCT_NEON(sluice_neon_skinny_product, float, LOAD_F32, SCALAR_F32)
SKINNY_PRODUCT_NEON(sluice_neon_skinny_product_f16, uint16_t, LOAD_F16, SCALAR_F16)

// MARK: - exp, softmax, log-sum-exp

/// exp(x) for x ≤ 0, as the x86 versions compute it: 2^(x·log2 e) split into integer and fraction, the
/// fraction by a degree-6 polynomial; relative error below 2e-7 over [-87, 0], exactly 0 below (and for NaN).
static inline float32x4_t exp4(float32x4_t x) {
    const uint32x4_t representable = vcgeq_f32(x, vdupq_n_f32(-87.0f));
    x = vmaxq_f32(x, vdupq_n_f32(-87.0f));
    const float32x4_t t = vmulq_f32(x, vdupq_n_f32(1.44269504088896341f));
    const float32x4_t n = vrndnq_f32(t);
    const float32x4_t f = vsubq_f32(t, n);  // in [-0.5, 0.5]
    float32x4_t p = vdupq_n_f32(1.535336188319500e-4f);
    p = vfmaq_f32(vdupq_n_f32(1.339887440266574e-3f), p, f);
    p = vfmaq_f32(vdupq_n_f32(9.618437357674640e-3f), p, f);
    p = vfmaq_f32(vdupq_n_f32(5.550332471162809e-2f), p, f);
    p = vfmaq_f32(vdupq_n_f32(2.402264791363012e-1f), p, f);
    p = vfmaq_f32(vdupq_n_f32(6.931472028550421e-1f), p, f);
    p = vfmaq_f32(vdupq_n_f32(1.0f), p, f);
    // 2^n for n in [-126, 0]: the exponent field n + 127.
    const float32x4_t scale = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23));
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(vmulq_f32(p, scale)), representable));
}

void sluice_neon_softmax_rows(float *x, int rows, int width) {
    const int vectors = width / 4, tail = vectors * 4;
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        float32x4_t top = vdupq_n_f32(-INFINITY);
        for (int v = 0; v < vectors; v++) top = vmaxq_f32(top, vld1q_f32(row + v * 4));
        float maximum = vmaxvq_f32(top);
        for (int i = tail; i < width; i++) maximum = row[i] > maximum ? row[i] : maximum;
        if (maximum == -INFINITY) continue;
        const float32x4_t shift = vdupq_n_f32(maximum);
        float32x4_t sums = vdupq_n_f32(0);
        for (int v = 0; v < vectors; v++) {
            const float32x4_t e = exp4(vsubq_f32(vld1q_f32(row + v * 4), shift));
            vst1q_f32(row + v * 4, e);
            sums = vaddq_f32(sums, e);
        }
        float sum = vaddvq_f32(sums);
        for (int i = tail; i < width; i++) {
            row[i] = expf(row[i] - maximum);
            sum += row[i];
        }
        const float32x4_t inverse = vdupq_n_f32(1.0f / sum);
        for (int v = 0; v < vectors; v++) vst1q_f32(row + v * 4, vmulq_f32(vld1q_f32(row + v * 4), inverse));
        for (int i = tail; i < width; i++) row[i] /= sum;
    }
}

float sluice_neon_log_sum_exp(const float *x, int n) {
    const int vectors = n / 4, tail = vectors * 4;
    float32x4_t top = vdupq_n_f32(-INFINITY);
    for (int v = 0; v < vectors; v++) top = vmaxq_f32(top, vld1q_f32(x + v * 4));
    float maximum = vmaxvq_f32(top);
    for (int i = tail; i < n; i++) maximum = x[i] > maximum ? x[i] : maximum;
    if (maximum == -INFINITY) return -INFINITY;
    const float32x4_t shift = vdupq_n_f32(maximum);
    float32x4_t sums = vdupq_n_f32(0);
    for (int v = 0; v < vectors; v++) sums = vaddq_f32(sums, exp4(vsubq_f32(vld1q_f32(x + v * 4), shift)));
    float sum = vaddvq_f32(sums);
    for (int i = tail; i < n; i++) sum += expf(x[i] - maximum);
    return maximum + logf(sum);
}

// MARK: - GELU

/// erf as the x86 versions compute it (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
static inline float32x4_t erf4(float32x4_t x) {
    const uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
    const float32x4_t a = vabsq_f32(x);
    const float32x4_t t = vdivq_f32(vdupq_n_f32(1.0f), vfmaq_f32(vdupq_n_f32(1.0f), vdupq_n_f32(0.3275911f), a));
    float32x4_t p = vdupq_n_f32(1.061405429f);
    p = vfmaq_f32(vdupq_n_f32(-1.453152027f), p, t);
    p = vfmaq_f32(vdupq_n_f32(1.421413741f), p, t);
    p = vfmaq_f32(vdupq_n_f32(-0.284496736f), p, t);
    p = vfmaq_f32(vdupq_n_f32(0.254829592f), p, t);
    p = vmulq_f32(p, t);
    const float32x4_t e = exp4(vnegq_f32(vmulq_f32(a, a)));
    const float32x4_t y = vfmsq_f32(vdupq_n_f32(1.0f), p, e);  // 1 - p·e
    return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(y), sign));
}

void sluice_neon_gelu(float *x, long n) {
    const long vectors = n / 4;
    const float32x4_t half = vdupq_n_f32(0.5f), inverseRoot2 = vdupq_n_f32(0.70710678118654752f), one = vdupq_n_f32(1.0f);
    for (long v = 0; v < vectors; v++) {
        const float32x4_t value = vld1q_f32(x + v * 4);
        const float32x4_t cdf = vmulq_f32(half, vaddq_f32(one, erf4(vmulq_f32(value, inverseRoot2))));
        vst1q_f32(x + v * 4, vmulq_f32(value, cdf));
    }
    for (long i = vectors * 4; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

// MARK: - Attention for a few queries

void sluice_neon_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                        float scale, float *row, float *out) {
    const int blocks = headWidth / 4;
    float32x4_t query[32];
    for (int b = 0; b < blocks; b++) query[b] = vmulq_n_f32(vld1q_f32(q + b * 4), scale);
    for (int j = 0; j < visible; j++) {
        const float *kj = k + (long)j * ldkv;
        float32x4_t dot = vmulq_f32(query[0], vld1q_f32(kj));
        for (int b = 1; b < blocks; b++) dot = vfmaq_f32(dot, query[b], vld1q_f32(kj + b * 4));
        row[j] = vaddvq_f32(dot);
    }
    for (int j = visible; j < keys; j++) row[j] = -INFINITY;
    sluice_neon_softmax_rows(row, 1, keys);
    float32x4_t sum[32];
    for (int b = 0; b < blocks; b++) sum[b] = vdupq_n_f32(0);
    for (int j = 0; j < visible; j++) {
        const float32x4_t weight = vdupq_n_f32(row[j]);
        const float *vj = v + (long)j * ldkv;
        for (int b = 0; b < blocks; b++) sum[b] = vfmaq_f32(sum[b], weight, vld1q_f32(vj + b * 4));
    }
    for (int b = 0; b < blocks; b++) vst1q_f32(out + b * 4, sum[b]);
}

// MARK: - Widening

void sluice_neon_half_to_float(const uint16_t *half, float *out, long n) {
    const long vectors = n / 4;
    for (long v = 0; v < vectors; v++) vst1q_f32(out + v * 4, vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(half + v * 4))));
    for (long i = vectors * 4; i < n; i++) out[i] = half_to_float(half[i]);
}

#endif
