import Foundation
import SluiceNN

/// The committed golden fixtures (Tests/SluiceCodecTests/Fixtures, made by Training/codec/golden.py).
enum FixtureFiles {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    /// The PyTorch model's input, latent, codes and decoded samples for a short speech excerpt.
    static func golden() throws -> [String: Tensor] { try Safetensors.load(path: path("codec-golden.safetensors")) }
}
