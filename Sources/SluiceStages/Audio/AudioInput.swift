import Foundation
import SluiceAudio
import SluiceCore
import SluiceFiles

/// The `audio` input: a file or stdin, decoded by libsndfile, or raw PCM.
public enum AudioInput {
    public static let type = SourceType(
        name: "audio",
        summary: "Audio from a file or stdin (WAV, FLAC, OGG/Vorbis, … by header; or raw s16le/f32le).",
        options: [
            OptionSpec("path", .string, default: .string("-"), help: "file path, or - for stdin"),
            OptionSpec("format", .choice(["auto", "s16le", "f32le"]), default: .string("auto"),
                       help: "auto reads the container header; s16le/f32le read raw interleaved PCM"),
            OptionSpec("sample_rate_hz", .integer(1000...768_000), optional: true, help: "sample rate of raw PCM"),
            OptionSpec("channels", .integer(1...64), optional: true, help: "channel count of raw PCM (default 1)"),
            OptionSpec("packet_frames", .integer(64...1_048_576), default: .integer(4096),
                       help: "frames per packet sent downstream"),
            OptionSpec("when_full", .choice(EdgeCapacity.WhenFull.allCases.map(\.rawValue)), default: .string("block"),
                       help: "block: wait for the consumer; drop_newest: drop and count (live input only)"),
        ],
        declaredFormat: { options in
            let format = options.string("format")
            guard format != "auto" else {
                for name in ["sample_rate_hz", "channels"] where options.has(name) {
                    throw OptionProblem("option '\(name)' applies to raw PCM only; set format: s16le or f32le")
                }
                return .audio(AudioFormat(sampleRate: nil, channels: nil))
            }
            guard let rate = options.optionalInteger("sample_rate_hz") else {
                throw OptionProblem("raw PCM (format: \(format)) needs 'sample_rate_hz'")
            }
            return .audio(AudioFormat(sampleRate: rate, channels: options.optionalInteger("channels") ?? 1))
        },
        open: { options in
            let path = options.string("path")
            let reader: any AudioReading
            switch options.string("format") {
            case "auto":
                reader = path == "-"
                    ? try AudioDecoder(fileDescriptor: STDIN_FILENO, name: "stdin") : try AudioDecoder(path: path)
            case let raw:
                let encoding: RawPCMReader.Encoding = raw == "s16le" ? .s16le : .f32le
                let rate = options.integer("sample_rate_hz")
                let channels = options.optionalInteger("channels") ?? 1
                reader = path == "-"
                    ? RawPCMReader(fileDescriptor: STDIN_FILENO, name: "stdin", encoding: encoding, sampleRate: rate, channels: channels)
                    : try RawPCMReader(path: path, encoding: encoding, sampleRate: rate, channels: channels)
            }
            return AudioSource(reader: reader, packetFrames: options.integer("packet_frames"))
        },
        fileExtensions: { options in options.string("format") == "auto" ? AudioDecoder.fileExtensions : ["raw", "pcm"] })
}

/// Adapts an `AudioReading` decoder to the engine: one packet per read.
final class AudioSource: Source {
    let format: StreamFormat
    private let reader: any AudioReading
    private let packetFrames: Int
    private var position: Int64 = 0
    private var buffer: [Float] = []
    private let lock = NSLock()
    private var clipped = 0

    init(reader: any AudioReading, packetFrames: Int) {
        self.reader = reader
        self.packetFrames = packetFrames
        self.format = .audio(AudioFormat(sampleRate: reader.sampleRate, channels: reader.channels))
    }

    func read(emit: Emit) throws -> Bool {
        let frames = try reader.read(into: &buffer, maxFrames: packetFrames)
        lock.withLock { clipped = reader.sampleGuard.clipped }
        guard frames > 0 else {
            if let warning = reader.sampleGuard.warning(input: reader.name) {
                try? FileDescriptor.write(warning + "\n", to: STDERR_FILENO, name: "stderr")
            }
            return false
        }
        try emit(Packet(position: position, frames: frames, data: Array(buffer[0..<(frames * reader.channels)])))
        position += Int64(frames)
        return true
    }

    func requestStop() { reader.requestStop() }

    var clippedValues: Int { lock.withLock { clipped } }
}
