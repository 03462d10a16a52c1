import Foundation
import SluiceCodec
import SluiceCore
import SluiceFiles

/// The `sluc` input: a `.sluc` code file or stdin, one packet per chunk.
public enum SlucInput {
    public static let type = SourceType(
        name: "sluc",
        summary: "Codec codes from a .sluc file or stdin (see Docs/sluc-format.md).",
        options: PathOption.input.specs,
        declaredFormat: { _ in .codes(CodeFormat(groups: nil, levels: nil, codebookSize: nil, sampleRate: nil, hop: nil)) },
        open: { options in
            let path = PathOption.input.settings(options).value
            return SlucSource(reader: try SlucSource.naming(path) { try SlucReader(path: path) }, name: path)
        },
        fileExtensions: { _ in ["sluc"] })
}

/// Adapts a `SlucReader` to the engine.
final class SlucSource: Source {
    let format: StreamFormat
    private var reader: SlucReader
    private let name: String
    private var position: Int64 = 0

    init(reader: SlucReader, name: String) {
        self.reader = reader
        self.name = name
        let header = reader.header
        format = .codes(
            CodeFormat(
                groups: header.groups, levels: header.levels, codebookSize: header.codebookSize,
                sampleRate: header.sampleRate, hop: header.hop))
    }

    func read(emit: Emit) throws -> Bool {
        guard let codes = try Self.naming(name, { try reader.nextChunk() }) else { return false }
        let packet = Packet(position: position, codes: codes, codesPerFrame: reader.header.codesPerFrame)
        position += Int64(packet.frames)
        try emit(packet)
        return true
    }

    func requestStop() {}

    /// Runs `body`, prefixing a container error with the file it is about.
    static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SlucError {
            throw SlucFileError("\(path == "-" ? "stdin" : path): \(error)")
        }
    }
}

/// The `sluc` output: codec codes to a `.sluc` file (frame count patched into the header) or to stdout (live).
public enum SlucOutput {
    public static let type = SinkType(
        name: "sluc",
        summary: "Write codec codes to a .sluc file or stdout (see Docs/sluc-format.md).",
        options: SlucOutputSettings.options.specs,
        accept: { _, format in
            guard case .codes = format else { throw FormatMismatch("needs codec codes, gets \(format)") }
        },
        make: { options, format in
            guard case .codes(let codes) = format, let groups = codes.groups, let levels = codes.levels,
                let size = codes.codebookSize, let rate = codes.sampleRate, let hop = codes.hop
            else { throw FormatMismatch("needs codec codes with a known layout, gets \(format)") }
            let settings = SlucOutputSettings.options.settings(options)
            let header = SlucHeader(
                groups: groups, levels: levels, codebookSize: size, sampleRate: rate, hop: hop,
                framesPerChunk: settings.framesPerChunk)
            return try SlucSink(path: settings.path, header: header)
        },
        fileExtension: { _, _ in "sluc" })
}

/// Streams chunks to a temporary file (or stdout) and patches the frame count into a file's header on finish.
final class SlucSink: Sink {
    private let file: AtomicFile?
    private var writer: SlucWriter

    init(path: String, header: SlucHeader) throws {
        let file = path == "-" ? nil : try AtomicFile(path: path)
        self.file = file
        writer = try SlucWriter(header: header) { bytes in
            try bytes.withUnsafeBytes { raw in
                if let file { try file.write(raw) } else { try FileDescriptor.writeAll(STDOUT_FILENO, raw, name: "stdout") }
            }
        }
    }

    func consume(_ packet: Packet) throws { try writer.append(packet.codes) }

    func finish() throws {
        let header = try writer.finish()
        guard let file else { return }
        try header.withUnsafeBytes { try file.write($0, at: 0) }
        try file.commit()
    }

    func abort() { file?.discard() }
}

/// What a `sluc` output's options set.
struct SlucOutputSettings: Sendable {
    var path = "-"
    var framesPerChunk = 50

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("path", \.path, help: "file path, or - for stdout"),
            .integer(
                "frames_per_chunk", \.framesPerChunk, in: 1...65535, .tuning,
                help: "frames per checksummed chunk (a live reader waits for whole chunks)"),
        ])
}
