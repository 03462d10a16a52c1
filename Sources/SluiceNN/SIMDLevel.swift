import CKernels
import Foundation

/// The instruction sets Sluice's own vector code may use, set by one switch (the environment variable
/// `SLUICE_SIMD`), so that every SIMD path can be turned down or off: to test the portable code that
/// other architectures run, or to rule the vector kernels out when hunting a numerical difference.
///
/// The C kernels read `SLUICE_SIMD` once, when the program starts: `off`, `avx2` or `avx512` caps the
/// level at that (the CPU's best still bounds it); unset, empty or `auto` leaves the CPU's best. It also
/// caps the OpenBLAS kernel family Sluice picks (``BLAS``).
public enum SIMDLevel: Int32, Sendable, Comparable, CustomStringConvertible {
    /// Portable C only (the only code built off x86-64).
    case off = 0
    /// AVX2, FMA and F16C.
    case avx2 = 1
    /// AVX-512F, with the AVX2 set.
    case avx512 = 2

    /// The level every kernel uses.
    public static var current: SIMDLevel { SIMDLevel(rawValue: sluice_simd_level()) ?? .off }

    /// The best level this CPU has.
    public static var supported: SIMDLevel { SIMDLevel(rawValue: sluice_simd_supported()) ?? .off }

    /// Why `SLUICE_SIMD` is not usable, when its value is not a level (the kernels then run the portable code).
    public static var settingProblem: String? {
        guard sluice_simd_setting_invalid() != 0 else { return nil }
        let value = ProcessInfo.processInfo.environment["SLUICE_SIMD"] ?? ""
        return "SLUICE_SIMD=\(value) is not a SIMD level: use off, avx2, avx512 or auto (or leave it unset)"
    }

    /// The `SLUICE_SIMD` spelling.
    public var description: String { String(cString: sluice_simd_name(rawValue)) }

    public static func < (lhs: SIMDLevel, rhs: SIMDLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
