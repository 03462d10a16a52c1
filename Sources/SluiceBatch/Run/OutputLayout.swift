import Foundation
import SluiceCore

/// Where a batch writes: input `a/b/c.flac` becomes `FOLDER/a/b/c.EXT`.
public struct OutputLayout: Sendable {
    public var folder: String
    /// The output file's extension, from the pipeline's output (`json`, `srt`, `wav`, `npy`, …).
    public var fileExtension: String

    public init(folder: String, fileExtension: String) {
        self.folder = folder
        self.fileExtension = fileExtension
    }

    /// The output's path relative to `folder`.
    public func relativeOutput(for input: BatchInput) -> String {
        InputDiscovery.stem(input.relativePath) + "." + fileExtension
    }

    /// The output's full path.
    public func path(_ relativeOutput: String) -> String {
        folder + "/" + relativeOutput
    }

    /// Removes what a killed run left of the outputs of `inputs`: temporary files beside each output.
    /// Only these inputs' names are touched, so shards sharing the folder leave each other alone.
    ///
    /// - Returns: the paths removed.
    @discardableResult
    public func removeUnfinished(of inputs: [BatchInput]) -> [String] {
        var namesByFolder: [String: Set<String>] = [:]
        for input in inputs {
            let url = URL(fileURLWithPath: path(relativeOutput(for: input)))
            namesByFolder[url.deletingLastPathComponent().path, default: []].insert(url.lastPathComponent)
        }
        var removed: [String] = []
        for (directory, names) in namesByFolder {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries {
                guard let name = AtomicFile.destinationName(ofTemporary: entry), names.contains(name) else { continue }
                let stale = directory + "/" + entry
                if unlink(stale) == 0 { removed.append(stale) }
            }
        }
        return removed.sorted()
    }
}
