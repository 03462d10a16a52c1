// Holds every SIMD level of the C kernels that this CPU has to the portable kernels (level 0) on the shapes
// and edge cases the Swift tests use, without Swift: Scripts/cross-compile-kernels builds it for aarch64 and
// runs it under qemu-user, where no Swift toolchain runs. Exit status 1 on the first mismatch.
// Usage: harness [expected level]   (the level sluice_simd_level() must report, e.g. 0 under SLUICE_SIMD=off)

#include "kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

/// Deterministic values in [-1, 1) (the generator of the Swift tests' testValues).
static void fill(float *values, long count, unsigned long long *seed) {
    for (long i = 0; i < count; i++) {
        *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
        values[i] = (float)((long long)(*seed >> 11) % 2000) / 1000.0f - 1.0f;
    }
}

/// a and b agree within `tolerance` of the larger magnitude (at least 1), or are the same infinity.
static int agree(float a, float b, float tolerance) {
    if (a == b) return 1;
    const float scale = fmaxf(1.0f, fmaxf(fabsf(a), fabsf(b)));
    return fabsf(a - b) <= tolerance * scale;
}

static void check(int ok, const char *what, int level, long index, float got, float expected) {
    if (ok) return;
    if (failures++ < 10)
        fprintf(stderr, "harness: %s at level %s, index %ld: %.9g, portable %.9g\n", what, sluice_simd_name(level), index,
                got, expected);
}

/// The float16 bit pattern of x (round to nearest even; finite, normal range), for weights.
static uint16_t to_half(float x) {
    union { float value; uint32_t bits; } u = {x};
    const uint32_t sign = (u.bits >> 16) & 0x8000, exponent = (u.bits >> 23) & 0xFF;
    uint32_t mantissa = u.bits & 0x7FFFFF;
    if (exponent < 113) return (uint16_t)sign;  // below half's normal range: 0 (the tests' values are not that small)
    uint32_t half = ((exponent - 112) << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half++;
    return (uint16_t)(sign | half);
}

static void skinny(const sluice_kernel_table *simd, const sluice_kernel_table *portable, int level) {
    static const int shapes[][2] = {{37, 50}, {9, 64}, {5, 7}, {130, 384}};
    for (int rows = 1; rows <= 13; rows++)
        for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            const int outputs = shapes[s][0], inputs = shapes[s][1], ldy = outputs + 3;
            unsigned long long seed = 100 + rows;
            float *x = malloc(sizeof(float) * rows * inputs), *w = malloc(sizeof(float) * outputs * inputs);
            uint16_t *halves = malloc(sizeof(uint16_t) * outputs * inputs);
            float *y = malloc(sizeof(float) * rows * ldy), *expected = malloc(sizeof(float) * rows * ldy);
            fill(x, (long)rows * inputs, &seed);
            fill(w, (long)outputs * inputs, &seed);
            for (long i = 0; i < (long)outputs * inputs; i++) halves[i] = to_half(w[i]);
            for (int half = 0; half < 2; half++) {
                for (long i = 0; i < (long)rows * ldy; i++) y[i] = expected[i] = 0.5f;
                if (half) {
                    simd->skinny_product_f16(x, rows, halves, 1, outputs - 1, inputs, y, ldy);
                    portable->skinny_product_f16(x, rows, halves, 1, outputs - 1, inputs, expected, ldy);
                } else {
                    simd->skinny_product(x, rows, w, 1, outputs - 1, inputs, y, ldy);
                    portable->skinny_product(x, rows, w, 1, outputs - 1, inputs, expected, ldy);
                }
                for (long i = 0; i < (long)rows * ldy; i++)
                    check(agree(y[i], expected[i], 1e-5f), half ? "skinny product f16" : "skinny product", level, i, y[i], expected[i]);
            }
            free(x), free(w), free(halves), free(y), free(expected);
        }
}

static void softmax(const sluice_kernel_table *simd, const sluice_kernel_table *portable, int level) {
    static const int widths[] = {1, 3, 4, 7, 16, 53, 1500};
    for (unsigned s = 0; s < sizeof widths / sizeof widths[0]; s++) {
        const int width = widths[s];
        unsigned long long seed = 21 + width;
        float *input = malloc(sizeof(float) * 3 * width), *x = malloc(sizeof(float) * 3 * width),
              *expected = malloc(sizeof(float) * 3 * width);
        fill(input, 3L * width, &seed);
        for (int i = 0; i < 3 * width; i++) input[i] *= 40;
        input[0] = -INFINITY;
        for (int i = 2 * width; i < 3 * width; i++) input[i] = -INFINITY;  // a fully masked row stays as it is
        memcpy(x, input, sizeof(float) * 3 * width);
        memcpy(expected, input, sizeof(float) * 3 * width);
        simd->softmax_rows(x, 3, width);
        portable->softmax_rows(expected, 3, width);
        for (int i = 0; i < 3 * width; i++)
            check(fabsf(x[i] - expected[i]) < 2e-6f || x[i] == expected[i], "softmax", level, i, x[i], expected[i]);
        for (int r = 0; r < 3; r++) {
            const float got = simd->log_sum_exp(input + (long)r * width, width),
                        want = portable->log_sum_exp(input + (long)r * width, width);
            check(agree(got, want, 1e-6f), "log-sum-exp", level, r, got, want);
        }
        free(input), free(x), free(expected);
    }
}

static void gelu(const sluice_kernel_table *simd, const sluice_kernel_table *portable, int level) {
    enum { count = 1007 };
    float x[count], expected[count];
    unsigned long long seed = 31;
    fill(x, 1000, &seed);
    for (int i = 0; i < 1000; i++) x[i] *= 12;
    const float edges[] = {0, -0.0f, 30, -30, 1e-20f, -1e-20f, 5.5f};
    memcpy(x + 1000, edges, sizeof edges);
    memcpy(expected, x, sizeof x);
    simd->gelu(x, count);
    portable->gelu(expected, count);
    for (int i = 0; i < count; i++) check(fabsf(x[i] - expected[i]) < 1e-5f * fmaxf(1, fabsf(expected[i])), "gelu", level, i, x[i], expected[i]);
}

static void attention(const sluice_kernel_table *simd, const sluice_kernel_table *portable, int level) {
    static const int widths[] = {64, 24, 20, 6, 144};
    for (unsigned s = 0; s < sizeof widths / sizeof widths[0]; s++)
        for (int causalOffset = -1; causalOffset <= 4; causalOffset += 4) {
            const int headWidth = widths[s], queries = 3, keys = 11;
            const int ldq = headWidth + 2, ldkv = headWidth + 5, ldout = headWidth + 1;
            unsigned long long seed = headWidth;
            float *q = malloc(sizeof(float) * queries * ldq), *k = malloc(sizeof(float) * keys * ldkv),
                  *v = malloc(sizeof(float) * keys * ldkv);
            float out[3 * 145] = {0}, expected[3 * 145] = {0}, scores[3 * 11], expectedScores[3 * 11];
            fill(q, (long)queries * ldq, &seed);
            fill(k, (long)keys * ldkv, &seed);
            fill(v, (long)keys * ldkv, &seed);
            const float scale = 1.0f / sqrtf((float)headWidth);
            simd->attention_few(q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, scores, out, ldout);
            portable->attention_few(q, ldq, queries, k, v, ldkv, keys, headWidth, scale, causalOffset, expectedScores,
                                    expected, ldout);
            for (int i = 0; i < queries * ldout; i++) check(fabsf(out[i] - expected[i]) < 1e-5f, "attention", level, i, out[i], expected[i]);
            for (int i = 0; i < queries * keys; i++)
                check(fabsf(scores[i] - expectedScores[i]) < 1e-6f, "attention scores", level, i, scores[i], expectedScores[i]);
            free(q), free(k), free(v);
        }
}

static void widening(const sluice_kernel_table *simd, const sluice_kernel_table *portable, int level) {
    static uint16_t halves[65536];
    static float out[65536], expected[65536];
    for (long i = 0; i < 65536; i++) halves[i] = (uint16_t)i;
    simd->half_to_float(halves, out, 65536);
    portable->half_to_float(halves, expected, 65536);
    for (long i = 0; i < 65536; i++) {
        const int same = isnan(expected[i]) ? isnan(out[i]) : memcmp(&out[i], &expected[i], sizeof(float)) == 0;
        check(same, "half to float", level, i, out[i], expected[i]);
    }
}

int main(int argc, char **argv) {
    const int level = sluice_simd_level(), supported = sluice_simd_supported();
    if (argc > 1 && level != atoi(argv[1])) {
        fprintf(stderr, "harness: level %d (%s), expected %s\n", level, sluice_simd_name(level), argv[1]);
        return 1;
    }
    const sluice_kernel_table *portable = sluice_kernels(SLUICE_SIMD_OFF);
    for (int tested = SLUICE_SIMD_OFF + 1; tested <= supported; tested++) {
        const sluice_kernel_table *simd = sluice_kernels(tested);
        if (simd == portable) { fprintf(stderr, "harness: level %d has no kernels of its own\n", tested); return 1; }
        skinny(simd, portable, tested);
        softmax(simd, portable, tested);
        gelu(simd, portable, tested);
        attention(simd, portable, tested);
        widening(simd, portable, tested);
    }
    if (failures) {
        fprintf(stderr, "harness: %d mismatches\n", failures);
        return 1;
    }
    printf("harness: levels 1...%d (best: %s) agree with the portable kernels; in use: %s\n", supported,
           sluice_simd_name(supported), sluice_simd_name(level));
    return 0;
}
