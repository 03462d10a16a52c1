#include "kernels.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/// SLUICE_SIMD, parsed: the cap on the level (SLUICE_SIMD_AVX512 when unset), or -1 for a value that is not a
/// level. Set once, from the constructor below (before main, so no thread can be calling setenv) or at first
/// use if that comes earlier; every reader computes the same value, so a race only repeats the work.
static atomic_int requested = -2;
static atomic_int level = -1;
static atomic_flag warned = ATOMIC_FLAG_INIT;
/// The rejected value, for the warning (copied when read: the environment may change later).
static char rejected[64];

int sluice_simd_supported(void) {
#if defined(__x86_64__)
    // AVX-512 implies AVX2, FMA and F16C on every CPU that has it; __builtin_cpu_supports also checks that
    // the OS saves the wider registers.
    const int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    if (avx2 && __builtin_cpu_supports("avx512f")) return SLUICE_SIMD_AVX512;
    if (avx2) return SLUICE_SIMD_AVX2;
#elif defined(__aarch64__)
    return SLUICE_SIMD_NEON;  // Advanced SIMD is part of the aarch64 base ABI
#endif
    return SLUICE_SIMD_OFF;
}

int sluice_simd_parse(const char *value) {
    if (value == NULL || value[0] == '\0' || strcmp(value, "auto") == 0) return SLUICE_SIMD_AVX512;
    if (strcmp(value, "off") == 0) return SLUICE_SIMD_OFF;
    if (strcmp(value, "avx2") == 0 || strcmp(value, "neon") == 0) return SLUICE_SIMD_AVX2;
    if (strcmp(value, "avx512") == 0) return SLUICE_SIMD_AVX512;
    return -1;
}

static int read_setting(void) {
    int cap = atomic_load(&requested);
    if (cap == -2) {
        const char *value = getenv("SLUICE_SIMD");
        cap = sluice_simd_parse(value);
        if (cap < 0) snprintf(rejected, sizeof rejected, "%s", value);
        atomic_store(&requested, cap);
    }
    return cap;
}

__attribute__((constructor)) static void read_setting_at_start(void) { (void)read_setting(); }

int sluice_simd_setting_invalid(void) { return read_setting() < 0; }

int sluice_simd_level(void) {
    int chosen = atomic_load_explicit(&level, memory_order_relaxed);
    if (chosen >= 0) return chosen;
    const int cap = read_setting(), supported = sluice_simd_supported();
    if (cap < 0) {
        if (!atomic_flag_test_and_set(&warned))
            fprintf(stderr, "sluice: SLUICE_SIMD=%s is not off, avx2, avx512, neon or auto; using the portable kernels\n",
                    rejected);
        chosen = SLUICE_SIMD_OFF;
    } else {
        chosen = cap < supported ? cap : supported;
    }
    atomic_store_explicit(&level, chosen, memory_order_relaxed);
    return chosen;
}

const char *sluice_simd_name(int value) {
    switch (value) {
    case SLUICE_SIMD_AVX512: return "avx512";
#if defined(__aarch64__)
    case SLUICE_SIMD_NEON: return "neon";
#else
    case SLUICE_SIMD_AVX2: return "avx2";
#endif
    default: return "off";
    }
}
