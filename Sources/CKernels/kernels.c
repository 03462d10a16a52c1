#include "kernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdint.h>

// MARK: - Skinny product

/// IEEE half to single precision.
static inline float half_to_float(uint16_t half) {
    const uint32_t sign = (uint32_t)(half & 0x8000) << 16, exponent = (half >> 10) & 0x1F, mantissa = half & 0x3FF;
    union { uint32_t bits; float value; } result;
    if (exponent == 0) {
        const float magnitude = (float)mantissa * 0x1p-24f;
        return sign ? -magnitude : magnitude;
    }
    result.bits = exponent == 31 ? (sign | 0x7F800000u | (mantissa << 13)) : (sign | ((exponent + 112) << 23) | (mantissa << 13));
    return result.value;
}

/// Four outputs at a time, ROWS rows of x (1–4): 4 × ROWS independent accumulators hide the FMA latency.
#define SKINNY_AVX512(ROWS)                                                                                    \
    __attribute__((target("avx512f")))                                                                       \
    static void skinny_avx512_##ROWS(const float *x, const float *w, int begin, int end, int inputs, float *y,  \
                                     int ldy) {                                                               \
        const int vectors = inputs / 16, tail = vectors * 16;                                                 \
        int o = begin;                                                                                        \
        for (; o + 4 <= end; o += 4) {                                                                        \
            const float *w0 = w + (long)o * inputs;                                                           \
            __m512 acc[ROWS][4];                                                                              \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < 4; j++) acc[r][j] = _mm512_setzero_ps();                                  \
            for (int v = 0; v < vectors; v++) {                                                               \
                __m512 a[4];                                                                                  \
                for (int j = 0; j < 4; j++) a[j] = _mm512_loadu_ps(w0 + (long)j * inputs + v * 16);           \
                for (int r = 0; r < ROWS; r++) {                                                              \
                    const __m512 b = _mm512_loadu_ps(x + (long)r * inputs + v * 16);                          \
                    for (int j = 0; j < 4; j++) acc[r][j] = _mm512_fmadd_ps(a[j], b, acc[r][j]);              \
                }                                                                                             \
            }                                                                                                 \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < 4; j++) {                                                                 \
                    float total = _mm512_reduce_add_ps(acc[r][j]);                                            \
                    for (int i = tail; i < inputs; i++) total += w0[(long)j * inputs + i] * x[(long)r * inputs + i]; \
                    y[(long)r * ldy + o + j] += total;                                                        \
                }                                                                                             \
        }                                                                                                     \
        for (; o < end; o++)                                                                                  \
            for (int r = 0; r < ROWS; r++) {                                                                  \
                float total = 0;                                                                              \
                for (int i = 0; i < inputs; i++) total += w[(long)o * inputs + i] * x[(long)r * inputs + i];  \
                y[(long)r * ldy + o] += total;                                                                \
            }                                                                                                 \
    }
SKINNY_AVX512(1)
SKINNY_AVX512(2)
SKINNY_AVX512(3)
SKINNY_AVX512(4)

/// As SKINNY_AVX512 with float16 weights widened in registers (half the memory traffic, same products).
#define SKINNY_AVX512_F16(ROWS)                                                                                    \
    __attribute__((target("avx512f")))                                                                       \
    static void skinny_avx512_f16_##ROWS(const float *x, const uint16_t *w, int begin, int end, int inputs, float *y,  \
                                     int ldy) {                                                               \
        const int vectors = inputs / 16, tail = vectors * 16;                                                 \
        int o = begin;                                                                                        \
        for (; o + 4 <= end; o += 4) {                                                                        \
            const uint16_t *w0 = w + (long)o * inputs;                                                           \
            __m512 acc[ROWS][4];                                                                              \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < 4; j++) acc[r][j] = _mm512_setzero_ps();                                  \
            for (int v = 0; v < vectors; v++) {                                                               \
                __m512 a[4];                                                                                  \
                for (int j = 0; j < 4; j++) a[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w0 + (long)j * inputs + v * 16)));           \
                for (int r = 0; r < ROWS; r++) {                                                              \
                    const __m512 b = _mm512_loadu_ps(x + (long)r * inputs + v * 16);                          \
                    for (int j = 0; j < 4; j++) acc[r][j] = _mm512_fmadd_ps(a[j], b, acc[r][j]);              \
                }                                                                                             \
            }                                                                                                 \
            for (int r = 0; r < ROWS; r++)                                                                    \
                for (int j = 0; j < 4; j++) {                                                                 \
                    float total = _mm512_reduce_add_ps(acc[r][j]);                                            \
                    for (int i = tail; i < inputs; i++) total += half_to_float(w0[(long)j * inputs + i]) * x[(long)r * inputs + i]; \
                    y[(long)r * ldy + o + j] += total;                                                        \
                }                                                                                             \
        }                                                                                                     \
        for (; o < end; o++)                                                                                  \
            for (int r = 0; r < ROWS; r++) {                                                                  \
                float total = 0;                                                                              \
                for (int i = 0; i < inputs; i++) total += half_to_float(w[(long)o * inputs + i]) * x[(long)r * inputs + i];  \
                y[(long)r * ldy + o] += total;                                                                \
            }                                                                                                 \
    }





SKINNY_AVX512_F16(1)
SKINNY_AVX512_F16(2)
SKINNY_AVX512_F16(3)
SKINNY_AVX512_F16(4)

static void skinny_avx512(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy) {
    switch (rows) {
    case 1: skinny_avx512_1(x, w, begin, end, inputs, y, ldy); break;
    case 2: skinny_avx512_2(x, w, begin, end, inputs, y, ldy); break;
    case 3: skinny_avx512_3(x, w, begin, end, inputs, y, ldy); break;
    default: skinny_avx512_4(x, w, begin, end, inputs, y, ldy); break;
    }
}

__attribute__((target("avx2,fma")))
static void skinny_avx2(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy) {
    const int vectors = inputs / 8, tail = vectors * 8;
    for (int o = begin; o < end; o++) {
        const float *weights = w + (long)o * inputs;
        __m256 sums[8];
        for (int r = 0; r < rows; r++) sums[r] = _mm256_setzero_ps();
        for (int v = 0; v < vectors; v++) {
            const __m256 a = _mm256_loadu_ps(weights + v * 8);
            for (int r = 0; r < rows; r++) sums[r] = _mm256_fmadd_ps(a, _mm256_loadu_ps(x + (long)r * inputs + v * 8), sums[r]);
        }
        for (int r = 0; r < rows; r++) {
            __m128 s = _mm_add_ps(_mm256_castps256_ps128(sums[r]), _mm256_extractf128_ps(sums[r], 1));
            s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
            float total = _mm_cvtss_f32(s);
            for (int i = tail; i < inputs; i++) total += weights[i] * x[(long)r * inputs + i];
            y[(long)r * ldy + o] += total;
        }
    }
}

static void skinny_portable(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy) {
    for (int o = begin; o < end; o++) {
        const float *weights = w + (long)o * inputs;
        for (int r = 0; r < rows; r++) {
            float total = 0;
            for (int i = 0; i < inputs; i++) total += weights[i] * x[(long)r * inputs + i];
            y[(long)r * ldy + o] += total;
        }
    }
}

void sluice_skinny_product(const float *x, int rows, const float *w, int begin, int end, int inputs, float *y, int ldy) {
    for (int first = 0; first < rows; first += 4) {
        const int count = rows - first < 4 ? rows - first : 4;
        const float *xs = x + (long)first * inputs;
        float *ys = y + (long)first * ldy;
        if (__builtin_cpu_supports("avx512f")) skinny_avx512(xs, count, w, begin, end, inputs, ys, ldy);
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) skinny_avx2(xs, count, w, begin, end, inputs, ys, ldy);
        else skinny_portable(xs, count, w, begin, end, inputs, ys, ldy);
    }
}

static void skinny_f16_portable(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y, int ldy) {
    for (int o = begin; o < end; o++)
        for (int r = 0; r < rows; r++) {
            float total = 0;
            for (int i = 0; i < inputs; i++) total += half_to_float(w[(long)o * inputs + i]) * x[(long)r * inputs + i];
            y[(long)r * ldy + o] += total;
        }
}

void sluice_skinny_product_f16(const float *x, int rows, const uint16_t *w, int begin, int end, int inputs, float *y, int ldy) {
    const int fast = __builtin_cpu_supports("avx512f");
    for (int first = 0; first < rows; first += 4) {
        const int count = rows - first < 4 ? rows - first : 4;
        const float *xs = x + (long)first * inputs;
        float *ys = y + (long)first * ldy;
        if (!fast) { skinny_f16_portable(xs, count, w, begin, end, inputs, ys, ldy); continue; }
        switch (count) {
        case 1: skinny_avx512_f16_1(xs, w, begin, end, inputs, ys, ldy); break;
        case 2: skinny_avx512_f16_2(xs, w, begin, end, inputs, ys, ldy); break;
        case 3: skinny_avx512_f16_3(xs, w, begin, end, inputs, ys, ldy); break;
        default: skinny_avx512_f16_4(xs, w, begin, end, inputs, ys, ldy); break;
        }
    }
}

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
static void softmax_avx512(float *x, int rows, int width) {
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

void sluice_softmax_rows(float *x, int rows, int width) {
    if (__builtin_cpu_supports("avx512f")) softmax_avx512(x, rows, width);
    else softmax_portable(x, rows, width);
}
