import CKernels
import Dispatch
import Foundation

/// y = x · Wᵀ for a few rows of x, streaming W once without packing it.
///
/// A decoder step multiplies one row per hypothesis (1–10) by large weight matrices (the output
/// projection alone is 51 864 × 384 floats, 80 MB). A general matrix product copies ("packs") W into
/// blocks first, which costs more than the product itself when x has a few rows; here each row of W
/// is read once and dotted with every row of x, so the work is bound by memory bandwidth, not copying.
/// Large matrices are split across threads by output ranges. The loop is C (`CKernels`) so that it
/// runs with AVX-512 or AVX2 where the CPU has them.
enum SkinnyProduct {
    /// Most rows of x handled this way.
    static let maxRows = 8

    /// - Parameters: x (rows × inputs), w (outputs × inputs); adds into y (rows × outputs).
    static func multiplyAdd(
        x: UnsafePointer<Float>, rows: Int, w: UnsafePointer<Float>, outputs: Int, inputs: Int,
        y: UnsafeMutablePointer<Float>
    ) {
        nonisolated(unsafe) let (x, w, y) = (x, w, y)
        split(outputs: outputs, inputs: inputs) { start, end in
            sluice_skinny_product(x, Int32(rows), w, Int32(start), Int32(end), Int32(inputs), y, Int32(outputs))
        }
    }

    /// The same with float16 weights, widened in registers.
    static func multiplyAdd(
        x: UnsafePointer<Float>, rows: Int, w: UnsafePointer<UInt16>, outputs: Int, inputs: Int,
        y: UnsafeMutablePointer<Float>
    ) {
        nonisolated(unsafe) let (x, w, y) = (x, w, y)
        split(outputs: outputs, inputs: inputs) { start, end in
            sluice_skinny_product_f16(x, Int32(rows), w, Int32(start), Int32(end), Int32(inputs), y, Int32(outputs))
        }
    }

    /// Runs `body` over output ranges, on every core when the matrix is large (over 1 M weights).
    /// The caller's pointers outlive the call: concurrentPerform returns when every range is done.
    private static func split(outputs: Int, inputs: Int, body: @Sendable (Int, Int) -> Void) {
        let chunks = outputs * inputs >= 1 << 20 ? ProcessInfo.activeCores : 1
        guard chunks > 1 else { return body(0, outputs) }
        let perChunk = (outputs + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * perChunk, end = min(outputs, start + perChunk)
            if start < end { body(start, end) }
        }
    }
}

extension ProcessInfo {
    /// Cores available to this process.
    static let activeCores = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
