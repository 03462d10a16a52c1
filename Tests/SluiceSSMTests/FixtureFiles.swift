import Foundation
import SluiceNN
import SluiceSSM

/// Paths and loaders of the SluiceSSM golden fixtures.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The tensors of `Fixtures/name`: a block's weights plus `input` and `expected` [L, d_model].
    static func golden(_ name: String) throws -> [String: Tensor] {
        try Safetensors.load(path: root.appendingPathComponent("Fixtures/\(name)").path)
    }
}

/// The largest |a − b| relative to the largest |b|.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 1
    return zip(a, b).map { abs($0 - $1) }.max()! / max(scale, 1e-12)
}
