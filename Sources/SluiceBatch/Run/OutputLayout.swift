import Foundation
import SluiceCore
import SluiceFiles

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

    /// Removes what a stopped run left of the outputs of `inputs`: temporary files beside each output.
    /// Only these inputs' names are touched, so shards sharing the folder leave each other alone, and
    /// only files of processes that are no longer running (or of this one), so a live writer that
    /// holds no lock (another machine's run into a folder without working locks) keeps its files.
    ///
    /// - Returns: the paths removed.
    @discardableResult
    public func removeUnfinished(of inputs: [BatchInput]) -> [String] {
        removeTemporaries(of: inputs.map(relativeOutput(for:))) { pid in
            pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH)
        }
    }

    /// Removes this process's temporary files of `relativeOutput` (what a failed input may leave).
    @discardableResult
    public func removeOwnUnfinished(_ relativeOutput: String) -> [String] {
        removeTemporaries(of: [relativeOutput]) { $0 == getpid() }
    }

    /// Removes the temporary files (`.NAME.tmp-PID-N`) beside `relativeOutputs` whose PID `removable` accepts.
    private func removeTemporaries(of relativeOutputs: [String], removable: (pid_t) -> Bool) -> [String] {
        var namesByFolder: [String: Set<String>] = [:]
        for relativeOutput in relativeOutputs {
            let url = URL(fileURLWithPath: path(relativeOutput))
            namesByFolder[url.deletingLastPathComponent().path, default: []].insert(url.lastPathComponent)
        }
        var removed: [String] = []
        for (directory, names) in namesByFolder {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries {
                guard let name = AtomicFile.destinationName(ofTemporary: entry), names.contains(name),
                    let pid = Self.writer(ofTemporary: entry), removable(pid)
                else { continue }
                let stale = directory + "/" + entry
                if unlink(stale) == 0 { removed.append(stale) }
            }
        }
        return removed.sorted()
    }

    /// The process id in a temporary file name (`.NAME.tmp-PID-N`).
    static func writer(ofTemporary fileName: String) -> pid_t? {
        let numbers = fileName.split(separator: "-").suffix(2)
        guard numbers.count == 2 else { return nil }
        return pid_t(numbers[numbers.startIndex])
    }
}
