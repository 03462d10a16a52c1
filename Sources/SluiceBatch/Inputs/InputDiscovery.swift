import Foundation

/// Finds a batch's inputs: the files named, and every file with a matching extension under the
/// folders named (recursively, hidden files and folders skipped), sorted by relative path; the other
/// files under the folders are listed as skipped, so that a run can say what it left out.
public struct InputDiscovery: Sendable {
    /// What a search found.
    public struct Found: Sendable {
        /// The inputs, in byte order of their relative paths.
        public var inputs: [BatchInput]
        /// Files under the folders whose extension the pipeline's input does not read (hidden ones not
        /// counted), as paths like the inputs', in byte order.
        public var skipped: [String]
    }

    /// Lowercase extensions without the dot.
    public var extensions: Set<String>
    /// A folder never searched (the batch's own output folder, when it lies inside an input folder).
    public var excluded: String?

    public init(extensions: Set<String>, excluded: String? = nil) {
        self.extensions = extensions
        self.excluded = excluded.map(Self.canonical)
    }

    /// The inputs under `roots`, and the files skipped.
    ///
    /// - Throws: `BatchError` for a root that does not exist, or two inputs with the same
    ///   relative path once the extension is dropped (they would write the same outputs).
    public func find(_ roots: [String]) throws(BatchError) -> Found {
        var inputs: [BatchInput] = []
        var skipped: [String] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw BatchError("\(root): no such file or folder")
            }
            if isDirectory.boolValue {
                let found = try files(under: root)
                inputs += found.inputs
                skipped += found.skipped
            } else {
                inputs.append(try Self.input(path: root, relativePath: URL(fileURLWithPath: root).lastPathComponent))
            }
        }
        inputs.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        var seen: [String: String] = [:]
        for input in inputs {
            let stem = Self.stem(input.relativePath)
            if let other = seen.updateValue(input.path, forKey: stem) {
                throw BatchError("\(other) and \(input.path) would both write outputs named \(stem).*; rename one or run them separately")
            }
        }
        return Found(inputs: inputs, skipped: skipped.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// `a/b/c.flac` → `a/b/c`.
    public static func stem(_ relativePath: String) -> String {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return relativePath }
        return String(relativePath.dropLast(name.distance(from: dot, to: name.endIndex)))
    }

    private func files(under root: String) throws(BatchError) -> Found {
        let base = URL(fileURLWithPath: root).standardizedFileURL
        guard
            let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        else { throw BatchError("\(root): cannot list the folder") }
        let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
        let shownRoot = root.hasSuffix("/") ? root : root + "/"
        var found = Found(inputs: [], skipped: [])
        while let url = walker.nextObject() as? URL {
            let path = url.standardizedFileURL.path
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if let excluded, Self.canonical(path) == excluded { walker.skipDescendants() }
                continue
            }
            guard path.hasPrefix(prefix) else { continue }
            let relativePath = String(path.dropFirst(prefix.count))
            guard extensions.contains(url.pathExtension.lowercased()) else {
                found.skipped.append(shownRoot + relativePath)
                continue
            }
            found.inputs.append(try Self.input(path: shownRoot + relativePath, relativePath: relativePath))
        }
        return found
    }

    private static func input(path: String, relativePath: String) throws(BatchError) -> BatchInput {
        var info = stat()
        guard stat(path, &info) == 0 else { throw BatchError("\(path): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw BatchError("\(path): not a regular file") }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return BatchInput(path: path, relativePath: relativePath, size: Int64(info.st_size), modified: modified)
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
