import Foundation
import SluiceWhisper

/// Paths of test fixtures and of the installed tiny.en model.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static let packageRoot = root.deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/\(name)").path }
    static func sample(_ name: String) -> String { packageRoot.appendingPathComponent("Samples/\(name)").path }

    /// tiny.en, loaded once for all model-backed tests; fails with how to install it when it is absent.
    static func tinyEnglishModel() throws -> WhisperModel {
        let store = ModelStore()
        guard store.isInstalled("tiny.en") else {
            throw ModelStoreError("model-backed test: tiny.en is not installed in \(store.root.path); run: sluice models fetch tiny.en")
        }
        return try LoadedModels.whisper("tiny.en", store: store)
    }

    /// The hand-made tokenizer of Fixtures/make_fixture_tokenizer.py.
    static func fixtureTokenizer() throws -> Tokenizer { try Tokenizer(path: fixture("fixture-tokenizer.json")) }

    /// tiny.en's tokenizer from the model cache; model-backed tests fail with how to install it when it is absent.
    static func tinyEnglishTokenizer() throws -> Tokenizer {
        let store = ModelStore()
        guard store.isInstalled("tiny.en") else {
            throw ModelStoreError("model-backed test: tiny.en is not installed in \(store.root.path); run: sluice models fetch tiny.en")
        }
        return try Tokenizer(path: store.path(of: "tiny.en").appendingPathComponent("tokenizer.json").path)
    }

    /// A JSON fixture decoded as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: fixture(name))))
    }
}
