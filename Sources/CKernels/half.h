#ifndef SLUICE_HALF_H
#define SLUICE_HALF_H

#include <stdint.h>

/// IEEE half to single precision (exact), for the kernels' scalar tails.
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

#endif
