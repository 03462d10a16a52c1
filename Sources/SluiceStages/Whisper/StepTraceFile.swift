import Foundation
import SluiceCore
import SluiceWhisper

/// The `trace` option of `whisper.stream`: a JSON line per decoding step (``StepTrace``), written to a file
/// as the steps run, so that a stream's lost words can be traced to the rule that dropped them.
final class StepTraceFile {
    private let handle: FileHandle

    /// Creates (or empties) the file; an unwritable path is a problem with the option.
    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw OptionProblem("option 'trace': cannot write '\(path)'")
        }
        self.handle = handle
    }

    /// Appends the step's line; a write that fails (a full disk) loses trace lines, never the stream.
    func write(_ trace: StepTrace) {
        try? handle.write(contentsOf: Data(trace.jsonLine.utf8))
    }

    deinit { try? handle.close() }
}
