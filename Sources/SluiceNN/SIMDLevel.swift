import CKernels
import Foundation

/// The instruction sets Sluice's own vector code may use, set by one switch (the environment variable
/// `SLUICE_SIMD`), so that every SIMD path can be turned down or off: to test the portable code, or to rule
/// the vector kernels out when hunting a numerical difference.
///
/// Levels are ranks: `off` < `avx2` = `neon` (each architecture's first level) < `avx512`. The C kernels read
/// `SLUICE_SIMD` once, when the program starts: a level caps them at that rank (the CPU's best still bounds
/// it); unset, empty or `auto` leaves the CPU's best. It also caps the OpenBLAS kernel family Sluice picks
/// (``BLAS``).
public struct SIMDLevel: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Portable C only (the only code built on architectures other than x86-64 and aarch64).
    public static let off = SIMDLevel(rawValue: 0)
    /// x86-64: AVX2, FMA and F16C.
    public static let avx2 = SIMDLevel(rawValue: 1)
    /// aarch64: Advanced SIMD (the same rank as AVX2).
    public static let neon = SIMDLevel(rawValue: 1)
    /// x86-64: AVX-512F, with the AVX2 set.
    public static let avx512 = SIMDLevel(rawValue: 2)

    /// The level every kernel uses.
    public static var current: SIMDLevel { SIMDLevel(rawValue: sluice_simd_level()) }

    /// The best level this CPU has.
    public static var supported: SIMDLevel { SIMDLevel(rawValue: sluice_simd_supported()) }

    /// Why `SLUICE_SIMD` is not usable, when its value is not a level (the kernels then run the portable code).
    public static var settingProblem: String? {
        guard sluice_simd_setting_invalid() != 0 else { return nil }
        let value = ProcessInfo.processInfo.environment["SLUICE_SIMD"] ?? ""
        return "SLUICE_SIMD=\(value) is not a SIMD level: use off, avx2, avx512, neon or auto (or leave it unset)"
    }

    /// The `SLUICE_SIMD` spelling on this architecture.
    public var description: String { String(cString: sluice_simd_name(rawValue)) }

    public static func < (lhs: SIMDLevel, rhs: SIMDLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
