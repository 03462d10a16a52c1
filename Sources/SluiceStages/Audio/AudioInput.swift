import Foundation
import SluiceAudio
import SluiceCore
import SluiceFiles

/// The `audio` input: a file or stdin, decoded by libsndfile or FFmpeg (`AudioDecoder`), or raw PCM.
public enum AudioInput {
    public static let type = SourceType(
        name: "audio",
        summary: "Audio from a file or stdin (WAV, FLAC, MP3, M4A, WebM, … by content; or raw s16le/f32le).",
        options: AudioInputSettings.options.specs,
        declaredFormat: { options in
            let settings = AudioInputSettings.options.settings(options)
            guard settings.format != .auto else {
                for (name, value) in [("sample_rate_hz", settings.sampleRate), ("channels", settings.channels)] where value != nil {
                    throw OptionProblem("option '\(name)' applies to raw PCM only; set format: s16le or f32le")
                }
                return .audio(AudioFormat(sampleRate: nil, channels: nil))
            }
            guard let rate = settings.sampleRate else {
                throw OptionProblem("raw PCM (format: \(settings.format)) needs 'sample_rate_hz'")
            }
            return .audio(AudioFormat(sampleRate: rate, channels: settings.channels ?? 1))
        },
        open: { options in
            let settings = AudioInputSettings.options.settings(options)
            let path = settings.path
            let reader: any AudioReading
            switch settings.format {
            case .auto:
                reader =
                    path == "-"
                    ? try AudioDecoder(fileDescriptor: STDIN_FILENO, name: "stdin") : try AudioDecoder(path: path)
            case .s16le, .f32le:
                let encoding: RawPCMReader.Encoding = settings.format == .s16le ? .s16le : .f32le
                let rate = settings.sampleRate!  // declaredFormat checked it
                let channels = settings.channels ?? 1
                reader =
                    path == "-"
                    ? RawPCMReader(fileDescriptor: STDIN_FILENO, name: "stdin", encoding: encoding, sampleRate: rate, channels: channels)
                    : try RawPCMReader(path: path, encoding: encoding, sampleRate: rate, channels: channels)
            }
            return AudioSource(reader: reader, packetFrames: settings.packetFrames)
        },
        fileExtensions: { options in AudioInputSettings.options.settings(options).format == .auto ? AudioDecoder.fileExtensions : ["raw", "pcm"] })
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

/// What an `audio` input's options set.
public struct AudioInputSettings: Sendable {
    /// How the bytes are read: by the container's header, or as raw interleaved PCM.
    public enum Encoding: String, Sendable, CaseIterable { case auto, s16le, f32le }

    public var path = "-"
    public var format: Encoding = .auto
    public var sampleRate: Int?
    public var channels: Int?
    public var packetFrames = 4096
    public var whenFull: EdgeCapacity.WhenFull = .block

    public init() {}

    public static let options = OptionTable(
        defaults: Self(),
        [
            .string("path", \.path, help: "file path, or - for stdin"),
            .choice("format", \.format, help: "auto reads the container header; s16le/f32le read raw interleaved PCM"),
            .integer("sample_rate_hz", \.sampleRate, in: 1000...768_000, help: "sample rate of raw PCM"),
            .integer("channels", \.channels, in: 1...64, help: "channel count of raw PCM (default 1)"),
            .choice("when_full", \.whenFull, help: "block: wait for the consumer; drop_newest: drop and count (live input only)"),
            .integer("packet_frames", \.packetFrames, in: 64...1_048_576, .tuning, help: "frames per packet sent downstream"),
        ])
}
