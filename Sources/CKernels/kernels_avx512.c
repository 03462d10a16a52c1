#include "kernels_avx512.h"

#if defined(__x86_64__)

#include "half.h"

#include <immintrin.h>
#include <math.h>
#include <stdint.h>

// MARK: - Skinny product

#define LOAD_F32(p) _mm512_loadu_ps(p)
#define LOAD_F16(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p)))
#define SCALAR_F32(value) (value)
#define SCALAR_F16(value) half_to_float(value)

/// y[r][o] += dot(x[r], w[o]) for ROWS rows of x (1–8), OUTS outputs at a time: OUTS × ROWS independent
/// accumulators hide the FMA latency (within AVX-512's 32 registers with the weights and x). WEIGHT is the stored type, LOAD widens 16 of them into a vector,
/// SCALAR one of them (tails).
#define SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, ROWS, OUTS)                                                        \
    __attribute__((target("avx512f"))) static void NAME##_##ROWS(const float *x, const WEIGHT *w, int begin,  \
                                                                 int end, int inputs, float *y, int ldy) {    \
        const int vectors = inputs / 16, tail = vectors * 16;                                                 \
        int o = begin;                                                                                        \
        for (; o + OUTS <= end; o += OUTS) {                                                                        \
            const WEIGHT *w0 = w + (long)o * inputs;                                                          \
            __m512 acc[ROWS][OUTS];                                                                              \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) acc[r][j] = _mm512_setzero_ps();                                  \
            for (int v = 0; v < vectors; v++) {                                                               \
                __m512 a[OUTS];                                                                                  \
                for (int j = 0; j < OUTS; j++) a[j] = LOAD(w0 + (long)j * inputs + v * 16);                      \
                for (int r = 0; r < ROWS; r++) {                                                              \
                    const __m512 b = _mm512_loadu_ps(x + (long)r * inputs + v * 16);                          \
                    for (int j = 0; j < OUTS; j++) acc[r][j] = _mm512_fmadd_ps(a[j], b, acc[r][j]);              \
                }                                                                                             \
            }                                                                                                 \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) {                                                                 \
                    float total = _mm512_reduce_add_ps(acc[r][j]);                                            \
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

/// The dispatcher over row groups of up to 8 for one weight type.
#define SKINNY_PRODUCT_AVX512(NAME, WEIGHT, LOAD, SCALAR)                                                      \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 1, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 2, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 3, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 4, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 5, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 6, 4)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 7, 3)                                                           \
    SKINNY_AVX512(NAME, WEIGHT, LOAD, SCALAR, 8, 3)                                                           \
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

SKINNY_PRODUCT_AVX512(sluice_avx512_skinny_product, float, LOAD_F32, SCALAR_F32)
SKINNY_PRODUCT_AVX512(sluice_avx512_skinny_product_f16, uint16_t, LOAD_F16, SCALAR_F16)

// MARK: - Softmax

/// exp(x) for x ≤ 0 (inputs are shifted by the row maximum): 2^(x·log2 e) split into integer and fraction,
/// the fraction by a degree-6 polynomial; relative error below 2e-7 over [-87, 0], exactly 0 below
/// (so masked -inf scores get no weight).
__attribute__((target("avx512f")))
static inline __m512 exp_avx512(__m512 x) {
    const __mmask16 representable = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_GE_OQ);
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    const __m512 t = _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f));
    const __m512 n = _mm512_roundscale_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 f = _mm512_sub_ps(t, n);  // in [-0.5, 0.5]
    __m512 p = _mm512_set1_ps(1.535336188319500e-4f);
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.339887440266574e-3f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(9.618437357674640e-3f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(5.550332471162809e-2f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.402264791363012e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(6.931472028550421e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
    return _mm512_maskz_mov_ps(representable, _mm512_scalef_ps(p, n));
}

__attribute__((target("avx512f")))
void sluice_avx512_softmax_rows(float *x, int rows, int width) {
    const int vectors = width / 16, tail = vectors * 16;
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        __m512 top = _mm512_set1_ps(-INFINITY);
        for (int v = 0; v < vectors; v++) top = _mm512_max_ps(top, _mm512_loadu_ps(row + v * 16));
        float maximum = _mm512_reduce_max_ps(top);
        for (int i = tail; i < width; i++) maximum = row[i] > maximum ? row[i] : maximum;
        if (maximum == -INFINITY) continue;
        const __m512 shift = _mm512_set1_ps(maximum);
        __m512 sums = _mm512_setzero_ps();
        for (int v = 0; v < vectors; v++) {
            const __m512 e = exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(row + v * 16), shift));
            _mm512_storeu_ps(row + v * 16, e);
            sums = _mm512_add_ps(sums, e);
        }
        float sum = _mm512_reduce_add_ps(sums);
        for (int i = tail; i < width; i++) {
            row[i] = expf(row[i] - maximum);
            sum += row[i];
        }
        const __m512 inverse = _mm512_set1_ps(1.0f / sum);
        for (int v = 0; v < vectors; v++) _mm512_storeu_ps(row + v * 16, _mm512_mul_ps(_mm512_loadu_ps(row + v * 16), inverse));
        for (int i = tail; i < width; i++) row[i] /= sum;
    }
}

// MARK: - Log-sum-exp

__attribute__((target("avx512f")))
float sluice_avx512_log_sum_exp(const float *x, int n) {
    const int vectors = n / 16, tail = vectors * 16;
    __m512 top = _mm512_set1_ps(-INFINITY);
    for (int v = 0; v < vectors; v++) top = _mm512_max_ps(top, _mm512_loadu_ps(x + v * 16));
    float maximum = _mm512_reduce_max_ps(top);
    for (int i = tail; i < n; i++) maximum = x[i] > maximum ? x[i] : maximum;
    if (maximum == -INFINITY) return -INFINITY;
    const __m512 shift = _mm512_set1_ps(maximum);
    __m512 sums = _mm512_setzero_ps();
    for (int v = 0; v < vectors; v++) sums = _mm512_add_ps(sums, exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(x + v * 16), shift)));
    float sum = _mm512_reduce_add_ps(sums);
    for (int i = tail; i < n; i++) sum += expf(x[i] - maximum);
    return maximum + logf(sum);
}

// MARK: - GELU

/// erf by Abramowitz & Stegun 7.1.26 refined (|error| < 1.5e-7): 1 - poly(t) e^{-x^2}, t = 1 / (1 + p|x|).
__attribute__((target("avx512f")))
static inline __m512 erf_avx512(__m512 x) {
    const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u));
    const __m512 a = _mm512_abs_ps(x);
    const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(0.3275911f), a, _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    p = _mm512_mul_ps(p, t);
    const __m512 e = exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
    const __m512 y = _mm512_fnmadd_ps(p, e, _mm512_set1_ps(1.0f));
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(y), sign));
}

__attribute__((target("avx512f")))
void sluice_avx512_gelu(float *x, long n) {
    const long vectors = n / 16;
    const __m512 half = _mm512_set1_ps(0.5f), inverseRoot2 = _mm512_set1_ps(0.70710678118654752f), one = _mm512_set1_ps(1.0f);
    for (long v = 0; v < vectors; v++) {
        const __m512 value = _mm512_loadu_ps(x + v * 16);
        const __m512 cdf = _mm512_mul_ps(half, _mm512_add_ps(one, erf_avx512(_mm512_mul_ps(value, inverseRoot2))));
        _mm512_storeu_ps(x + v * 16, _mm512_mul_ps(value, cdf));
    }
    for (long i = vectors * 16; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

// MARK: - Attention for a few queries

/// One query against `visible` keys with AVX-512, for head widths that are multiples of 16 (up to 128).
__attribute__((target("avx512f")))
void sluice_avx512_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                          float scale, float *row, float *out) {
    const int blocks = headWidth / 16;
    __m512 query[8];
    for (int b = 0; b < blocks; b++) query[b] = _mm512_mul_ps(_mm512_loadu_ps(q + b * 16), _mm512_set1_ps(scale));
    for (int j = 0; j < visible; j++) {
        const float *kj = k + (long)j * ldkv;
        __m512 dot = _mm512_mul_ps(query[0], _mm512_loadu_ps(kj));
        for (int b = 1; b < blocks; b++) dot = _mm512_fmadd_ps(query[b], _mm512_loadu_ps(kj + b * 16), dot);
        row[j] = _mm512_reduce_add_ps(dot);
    }
    for (int j = visible; j < keys; j++) row[j] = -INFINITY;
    sluice_avx512_softmax_rows(row, 1, keys);
    __m512 sum[8];
    for (int b = 0; b < blocks; b++) sum[b] = _mm512_setzero_ps();
    for (int j = 0; j < visible; j++) {
        const __m512 weight = _mm512_set1_ps(row[j]);
        const float *vj = v + (long)j * ldkv;
        for (int b = 0; b < blocks; b++) sum[b] = _mm512_fmadd_ps(weight, _mm512_loadu_ps(vj + b * 16), sum[b]);
    }
    for (int b = 0; b < blocks; b++) _mm512_storeu_ps(out + b * 16, sum[b]);
}

// MARK: - Widening

__attribute__((target("avx512f")))
void sluice_avx512_half_to_float(const uint16_t *half, float *out, long n) {
    const long vectors = n / 16;
    for (long v = 0; v < vectors; v++)
        _mm512_storeu_ps(out + v * 16, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(half + v * 16))));
    for (long i = vectors * 16; i < n; i++) out[i] = half_to_float(half[i]);
}

#endif
