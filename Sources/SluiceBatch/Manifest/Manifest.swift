import Foundation

/// The batch manifest: JSON lines in the output folder, one per processed input, appended and
/// synced to disk as each input finishes, so that a killed run resumes where it stopped.
///
/// An unsharded run writes `.sluice-manifest.jsonl`; shard I of N writes
/// `.sluice-manifest.shard-I-of-N.jsonl`, so that shards sharing an output folder on a network file
/// system never append to the same file. Reading takes every manifest in the folder; for each input
/// the latest entry wins: the last line of a file, and across files the later `finished` time (an
/// entry without one, from an older sluice, loses to none and wins by file order). A line cut short by
/// a crash is ignored.
public enum Manifest {
    /// The manifest file name for `shard`.
    public static func fileName(for shard: Shard) -> String {
        shard.count == 1 ? ".sluice-manifest.jsonl" : ".sluice-manifest.shard-\(shard.index + 1)-of-\(shard.count).jsonl"
    }

    /// Whether `name` is a manifest file name.
    public static func isManifest(_ name: String) -> Bool {
        name.hasPrefix(".sluice-manifest") && name.hasSuffix(".jsonl")
    }

    /// The latest entry for each input, from every manifest in `folder` (none when it does not exist).
    public static func read(folder: String) -> [String: ManifestEntry] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isManifest).sorted()
        var entries: [String: ManifestEntry] = [:]
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            var last: [String: ManifestEntry] = [:]
            for entry in parse(data) { last[entry.input] = entry }
            for (input, entry) in last {
                // An unsharded run after shards (or the reverse) appends to another file than the
                // earlier run: its entries must win whatever the file names' order.
                if let current = entries[input], let then = current.finished, let now = entry.finished, now < then { continue }
                entries[input] = entry
            }
        }
        return entries
    }

    /// The entries of manifest bytes, in order, skipping lines that do not parse (a cut-off last line).
    public static func parse(_ data: Data) -> [ManifestEntry] {
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(ManifestEntry.self, from: Data($0)) }
    }

    /// `entry` as one JSON line (keys sorted, so that lines are stable).
    public static func line(_ entry: ManifestEntry) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(entry)) ?? Data()
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// Appends entries to a manifest file, each written with one `write` and synced before `append` returns.
public final class ManifestWriter: @unchecked Sendable {  // `descriptor` writes are serialised by `lock`
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()

    /// Opens (creating) the manifest at `path` for appending; when a crash left its last line
    /// unfinished, ends that line first so that the next entry starts on its own.
    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BatchError("\(path): cannot open the manifest: \(String(cString: strerror(errno)))") }
        let end = lseek(descriptor, 0, SEEK_END)
        var last: UInt8 = 0
        if end > 0, pread(descriptor, &last, 1, end - 1) == 1, last != UInt8(ascii: "\n") {
            try write(Data([UInt8(ascii: "\n")]))
        }
    }

    deinit { close(descriptor) }

    /// Appends `entry` and syncs the file.
    public func append(_ entry: ManifestEntry) throws {
        try lock.withLock { try write(Manifest.line(entry)) }
    }

    private func write(_ data: Data) throws {
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(descriptor) == 0 else {
            throw BatchError("\(path): cannot append to the manifest: \(String(cString: strerror(errno)))")
        }
    }
}
