import Foundation

/// OpenBLAS, loaded at first use so that its kernel can be chosen for this CPU.
///
/// OpenBLAS picks its kernels when the library loads, from `OPENBLAS_CORETYPE` or its own CPU table.
/// Debian's 0.3.21 does not know recent Xeons (Sapphire Rapids and later report a generic model) and
/// falls back to its SSE3 "Prescott" kernels, 3–5x slower. So Sluice does not link OpenBLAS: it sets
/// `OPENBLAS_CORETYPE` from the CPU's flags (unless the user set it) and then opens the library. `SLUICE_SIMD`
/// (``SIMDLevel``) caps that choice: `avx2` picks Haswell at most, `off` picks none (OpenBLAS's own detection).
///
/// Between calls, OpenBLAS's idle threads spin on `sched_yield` for about 2^28 cycles by default, taking time
/// from Sluice's own threads (the decoder's products, the next stage) on a small machine: 18% of a
/// streaming run's CPU time on 2 cores. Sluice sets `OPENBLAS_THREAD_TIMEOUT` to its minimum (2^4 cycles;
/// idle threads sleep at once) unless the user set it: the 60 s streaming benchmark then ran in 51.5 s
/// instead of 55.2 s, with 1.7 s of system time instead of 17 s, and the same text.
public enum BLAS {
    /// Row-major operands; whether B (or A) is used transposed.
    public enum Transpose: Int32, Sendable {
        case none = 111
        case transposed = 112
    }

    private typealias SGEMM =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
            UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    private typealias SetThreads = @convention(c) (Int32) -> Void

    private struct Library: @unchecked Sendable {  // immutable after loading
        let sgemm: SGEMM
        let setThreads: SetThreads
        let coreType: String?
    }

    private static let library: Library = {
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let core = coreTypeForThisCPU() {
            setenv("OPENBLAS_CORETYPE", core, 0)
        }
        setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0)
        let names = ["libopenblas.so.0", "libopenblas.so"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first,
            let sgemm = dlsym(handle, "cblas_sgemm"), let threads = dlsym(handle, "openblas_set_num_threads")
        else {
            fatalError("sluice: cannot load OpenBLAS (libopenblas.so.0): install it with Scripts/bootstrap (Debian package libopenblas0)")
        }
        return Library(
            sgemm: unsafeBitCast(sgemm, to: SGEMM.self), setThreads: unsafeBitCast(threads, to: SetThreads.self),
            coreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }()

    /// C = alpha · op(A) · op(B) + beta · C, row-major (A is m × k after op, B is k × n, C is m × n).
    public static func sgemm(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        library.sgemm(
            101, transposeA.rawValue, transposeB.rawValue, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
            b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets the number of threads OpenBLAS uses.
    public static func setThreads(_ count: Int) { library.setThreads(Int32(count)) }

    /// The kernel family in use (`OPENBLAS_CORETYPE`), if one was chosen.
    public static var coreType: String? { library.coreType }

    /// The best OpenBLAS kernel family this CPU supports, from /proc/cpuinfo's flags, up to `level`.
    static func coreTypeForThisCPU(level: SIMDLevel = .current) -> String? {
        guard level > .off else { return nil }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if level >= .avx512, flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
