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
        make: { options, format in
            let path = PathOption.output.settings(options).value
            guard case .text(let text) = format else { throw FormatMismatch("needs text, gets \(format)") }
            return try TextSink(path: path == "-" ? nil : path, kind: text.kind)
        },
        fileExtension: { _, format in
            guard case .text(let text) = format else { return nil }
            return text.fileExtension
        })
}

/// Writes each record's bytes in order; files are committed whole or not at all. Records of the `terminal`
/// format are shown as live captions on a terminal (``TerminalCaptions``) and as their final lines elsewhere,
/// without escape codes.
final class TextSink: Sink {
    private let file: AtomicFile?
    private let name: String
    /// Live captions, when the records are `terminal` ones and stdout is a terminal.
    private var captions: TerminalCaptions?
    /// Partial lines are dropped (`terminal` records written to a file or a pipe).
    private let finalsOnly: Bool

    /// Writes to the file at `path` (committed at the end), or to stdout when `path` is nil.
    init(path: String?, kind: String) throws {
        file = try path.map(AtomicFile.init(path:))
        name = path ?? "stdout"
        let toTerminal = path == nil && isatty(STDOUT_FILENO) != 0
        captions = kind == "terminal" && toTerminal ? TerminalCaptions() : nil
        finalsOnly = kind == "terminal" && !toTerminal
    }

    func consume(_ packet: Packet) throws {
        for record in packet.text {
            if finalsOnly && !record.hasSuffix("\n") { continue }
            try write(captions?.show(record, columns: Self.terminalColumns()) ?? record)
        }
    }

    func finish() throws {
        if let end = captions?.finish() { try write(end) }
        try file?.commit()
    }

    func abort() { file?.discard() }

    private func write(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { bytes in
            try FileDescriptor.writeAll(file?.descriptor ?? STDOUT_FILENO, bytes, name: name)
        }
    }

    /// Stdout's width, asked at every write so a resized window is followed (80 when it cannot be told).
    private static func terminalColumns() -> Int {
        var size = winsize()
        return ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}
