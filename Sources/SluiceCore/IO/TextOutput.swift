import Foundation
import SluiceFiles

/// The `text` output: text records (a rendered transcript, JSON lines) written as they arrive, to a
/// file (under a temporary name, renamed at the end) or to stdout.
public enum TextOutput {
    public static let type = SinkType(
        name: "text",
        summary: "Write text records (transcripts, JSON events) to a file or stdout.",
        options: PathOption.output.specs,
        accept: { _, format in
            guard case .text = format else { throw FormatMismatch("needs text, gets \(format)") }
        },
        make: { options, _ in
            let path = PathOption.output.settings(options).value
            return try TextSink(path: path == "-" ? nil : path)
        },
        fileExtension: { _, format in
            guard case .text(let text) = format else { return nil }
            return text.fileExtension
        })
}

/// Writes each record's bytes in order; files are committed whole or not at all.
final class TextSink: Sink {
    private let file: AtomicFile?
    private let name: String

    /// Writes to the file at `path` (committed at the end), or to stdout when `path` is nil.
    init(path: String?) throws {
        file = try path.map(AtomicFile.init(path:))
        name = path ?? "stdout"
    }

    func consume(_ packet: Packet) throws {
        for record in packet.text {
            try Array(record.utf8).withUnsafeBytes { bytes in
                try FileDescriptor.writeAll(file?.descriptor ?? STDOUT_FILENO, bytes, name: name)
            }
        }
    }

    func finish() throws { try file?.commit() }

    func abort() { file?.discard() }
}
