#include "kernels_avx2.h"

#if defined(__x86_64__)

#include "half.h"

#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#define AVX2 __attribute__((target("avx2,fma,f16c")))

AVX2 static inline float sum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 static inline float max8(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// MARK: - Skinny product

#define LOAD_F32(p) _mm256_loadu_ps(p)
#define LOAD_F16(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))
#define SCALAR_F32(value) (value)
#define SCALAR_F16(value) half_to_float(value)

/// y[r][o] += dot(x[r], w[o]) for ROWS rows of x, OUTS outputs at a time (ROWS × OUTS accumulators, within
/// AVX2's 16 registers with the weights and x).
#define SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, ROWS, OUTS)                                                     \
    AVX2 static void NAME##_##ROWS(const float *x, const WEIGHT *w, int begin, int end, int inputs, float *y,   \
                                   int ldy) {                                                                 \
        const int vectors = inputs / 8, tail = vectors * 8;                                                   \
        int o = begin;                                                                                        \
        for (; o + OUTS <= end; o += OUTS) {                                                                  \
            const WEIGHT *w0 = w + (long)o * inputs;                                                          \
            __m256 acc[ROWS][OUTS];                                                                           \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) acc[r][j] = _mm256_setzero_ps();                               \
            for (int v = 0; v < vectors; v++) {                                                               \
                __m256 a[OUTS];                                                                               \
                for (int j = 0; j < OUTS; j++) a[j] = LOAD(w0 + (long)j * inputs + v * 8);                     \
                for (int r = 0; r < ROWS; r++) {                                                              \
                    const __m256 b = _mm256_loadu_ps(x + (long)r * inputs + v * 8);                           \
                    for (int j = 0; j < OUTS; j++) acc[r][j] = _mm256_fmadd_ps(a[j], b, acc[r][j]);           \
                }                                                                                             \
            }                                                                                                 \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < OUTS; j++) {                                                              \
                    float total = sum8(acc[r][j]);                                                            \
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
#define SKINNY_PRODUCT_AVX2(NAME, WEIGHT, LOAD, SCALAR)                                                        \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 1, 4)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 2, 4)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 3, 3)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 4, 2)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 5, 2)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 6, 2)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 7, 1)                                                             \
    SKINNY_AVX2(NAME, WEIGHT, LOAD, SCALAR, 8, 1)                                                             \
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

SKINNY_PRODUCT_AVX2(sluice_avx2_skinny_product, float, LOAD_F32, SCALAR_F32)
SKINNY_PRODUCT_AVX2(sluice_avx2_skinny_product_f16, uint16_t, LOAD_F16, SCALAR_F16)

// MARK: - exp, softmax, log-sum-exp

/// exp(x) for x ≤ 0, as the AVX-512 version computes it: 2^(x·log2 e) split into integer and fraction, the
/// fraction by a degree-6 polynomial; relative error below 2e-7 over [-87, 0], exactly 0 below (and for NaN).
AVX2 static inline __m256 exp8(__m256 x) {
    const __m256 representable = _mm256_cmp_ps(x, _mm256_set1_ps(-87.0f), _CMP_GE_OQ);
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    const __m256 t = _mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f));
    const __m256 n = _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 f = _mm256_sub_ps(t, n);  // in [-0.5, 0.5]
    __m256 p = _mm256_set1_ps(1.535336188319500e-4f);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.339887440266574e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(9.618437357674640e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(5.550332471162809e-2f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(2.402264791363012e-1f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(6.931472028550421e-1f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.0f));
    // 2^n for n in [-126, 0]: the exponent field n + 127.
    const __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
    return _mm256_and_ps(_mm256_mul_ps(p, scale), representable);
}

AVX2 void sluice_avx2_softmax_rows(float *x, int rows, int width) {
    const int vectors = width / 8, tail = vectors * 8;
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        __m256 top = _mm256_set1_ps(-INFINITY);
        for (int v = 0; v < vectors; v++) top = _mm256_max_ps(top, _mm256_loadu_ps(row + v * 8));
        float maximum = max8(top);
        for (int i = tail; i < width; i++) maximum = row[i] > maximum ? row[i] : maximum;
        if (maximum == -INFINITY) continue;
        const __m256 shift = _mm256_set1_ps(maximum);
        __m256 sums = _mm256_setzero_ps();
        for (int v = 0; v < vectors; v++) {
            const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + v * 8), shift));
            _mm256_storeu_ps(row + v * 8, e);
            sums = _mm256_add_ps(sums, e);
        }
        float sum = sum8(sums);
        for (int i = tail; i < width; i++) {
            row[i] = expf(row[i] - maximum);
            sum += row[i];
        }
        const __m256 inverse = _mm256_set1_ps(1.0f / sum);
        for (int v = 0; v < vectors; v++) _mm256_storeu_ps(row + v * 8, _mm256_mul_ps(_mm256_loadu_ps(row + v * 8), inverse));
        for (int i = tail; i < width; i++) row[i] /= sum;
    }
}

AVX2 float sluice_avx2_log_sum_exp(const float *x, int n) {
    const int vectors = n / 8, tail = vectors * 8;
    __m256 top = _mm256_set1_ps(-INFINITY);
    for (int v = 0; v < vectors; v++) top = _mm256_max_ps(top, _mm256_loadu_ps(x + v * 8));
    float maximum = max8(top);
    for (int i = tail; i < n; i++) maximum = x[i] > maximum ? x[i] : maximum;
    if (maximum == -INFINITY) return -INFINITY;
    const __m256 shift = _mm256_set1_ps(maximum);
    __m256 sums = _mm256_setzero_ps();
    for (int v = 0; v < vectors; v++) sums = _mm256_add_ps(sums, exp8(_mm256_sub_ps(_mm256_loadu_ps(x + v * 8), shift)));
    float sum = sum8(sums);
    for (int i = tail; i < n; i++) sum += expf(x[i] - maximum);
    return maximum + logf(sum);
}

// MARK: - GELU

/// erf as the AVX-512 version computes it (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
AVX2 static inline __m256 erf8(__m256 x) {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    const __m256 sign = _mm256_and_ps(x, signBit);
    const __m256 a = _mm256_andnot_ps(signBit, x);
    const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(_mm256_set1_ps(0.3275911f), a, _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(1.061405429f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
    p = _mm256_mul_ps(p, t);
    const __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(a, a)));
    const __m256 y = _mm256_fnmadd_ps(p, e, _mm256_set1_ps(1.0f));
    return _mm256_or_ps(y, sign);
}

AVX2 void sluice_avx2_gelu(float *x, long n) {
    const long vectors = n / 8;
    const __m256 half = _mm256_set1_ps(0.5f), inverseRoot2 = _mm256_set1_ps(0.70710678118654752f), one = _mm256_set1_ps(1.0f);
    for (long v = 0; v < vectors; v++) {
        const __m256 value = _mm256_loadu_ps(x + v * 8);
        const __m256 cdf = _mm256_mul_ps(half, _mm256_add_ps(one, erf8(_mm256_mul_ps(value, inverseRoot2))));
        _mm256_storeu_ps(x + v * 8, _mm256_mul_ps(value, cdf));
    }
    for (long i = vectors * 8; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

// MARK: - Attention for a few queries

/// One query against `visible` keys, for head widths that are multiples of 8 (up to 128).
AVX2 void sluice_avx2_attend(const float *q, const float *k, const float *v, int ldkv, int visible, int keys, int headWidth,
                             float scale, float *row, float *out) {
    const int blocks = headWidth / 8;
    __m256 query[16];
    for (int b = 0; b < blocks; b++) query[b] = _mm256_mul_ps(_mm256_loadu_ps(q + b * 8), _mm256_set1_ps(scale));
    for (int j = 0; j < visible; j++) {
        const float *kj = k + (long)j * ldkv;
        __m256 dot = _mm256_mul_ps(query[0], _mm256_loadu_ps(kj));
        for (int b = 1; b < blocks; b++) dot = _mm256_fmadd_ps(query[b], _mm256_loadu_ps(kj + b * 8), dot);
        row[j] = sum8(dot);
    }
    for (int j = visible; j < keys; j++) row[j] = -INFINITY;
    sluice_avx2_softmax_rows(row, 1, keys);
    __m256 sum[16];
    for (int b = 0; b < blocks; b++) sum[b] = _mm256_setzero_ps();
    for (int j = 0; j < visible; j++) {
        const __m256 weight = _mm256_set1_ps(row[j]);
        const float *vj = v + (long)j * ldkv;
        for (int b = 0; b < blocks; b++) sum[b] = _mm256_fmadd_ps(weight, _mm256_loadu_ps(vj + b * 8), sum[b]);
    }
    for (int b = 0; b < blocks; b++) _mm256_storeu_ps(out + b * 8, sum[b]);
}

// MARK: - Widening

AVX2 void sluice_avx2_half_to_float(const uint16_t *half, float *out, long n) {
    const long vectors = n / 8;
    for (long v = 0; v < vectors; v++) _mm256_storeu_ps(out + v * 8, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(half + v * 8))));
    for (long i = vectors * 8; i < n; i++) out[i] = half_to_float(half[i]);
}

#endif
