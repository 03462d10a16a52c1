import Foundation
import SluiceAudio
import SluiceCore

/// The `audio` output: WAV or FLAC to a file (written under a temporary name, then renamed) or WAV
/// streamed to stdout.
public enum AudioOutput {
    public static let type = SinkType(
        name: "audio",
        summary: "Write audio as WAV or FLAC to a file, or WAV to stdout.",
        options: AudioOutputSettings.options.specs,
        accept: { _, format in
            guard case .audio = format else {
                throw FormatMismatch("needs audio, gets \(format)")
            }
        },
        make: { options, format in
            guard case .audio(let audio) = format, let rate = audio.sampleRate, let channels = audio.channels else {
                throw FormatMismatch("needs audio with a known rate and channel count, gets \(format)")
            }
            let settings = AudioOutputSettings.options.settings(options)
            let path = settings.path
            let container = try container(settings.container, path: path)
            let encoding: AudioFileWriter.SampleFormat =
                switch settings.sampleFormat {
                case .s16: .pcm16
                case .s24: .pcm24
                case .f32: .float32
                }
            let writer =
                path == "-"
                ? try AudioFileWriter(
                    fileDescriptor: STDOUT_FILENO, container: container, sampleFormat: encoding,
                    sampleRate: rate, channels: channels)
                : try AudioFileWriter(
                    path: path, container: container, sampleFormat: encoding,
                    sampleRate: rate, channels: channels)
            return AudioSink(writer: writer)
        },
        fileExtension: { options, _ in AudioOutputSettings.options.settings(options).container == .flac ? "flac" : "wav" })

    private static func container(_ option: AudioOutputSettings.Container, path: String) throws -> AudioFileWriter.Container {
        switch option {
        case .wav: return .wav
        case .flac:
            if path == "-" { throw OptionProblem("FLAC cannot be streamed to stdout; write it to a file or use container: wav") }
            return .flac
        case .auto: return path.lowercased().hasSuffix(".flac") ? .flac : .wav
        }
    }
}

/// Adapts an `AudioFileWriter` to the engine.
final class AudioSink: Sink {
    private let writer: AudioFileWriter

    init(writer: AudioFileWriter) {
        self.writer = writer
    }

    func consume(_ packet: Packet) throws { try writer.write(packet.data) }
    func finish() throws { try writer.finish() }
    func abort() { writer.abort() }
}

/// What an `audio` output's options set.
struct AudioOutputSettings: Sendable {
    enum Container: String, Sendable, CaseIterable { case auto, wav, flac }
    enum SampleFormat: String, Sendable, CaseIterable { case s16, s24, f32 }

    var path = "-"
    var container: Container = .auto
    var sampleFormat: SampleFormat = .s16

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("path", \.path, help: "file path, or - for stdout"),
            .choice("container", \.container, help: "auto picks by the file extension (.flac, else WAV); stdout is always WAV"),
            .choice("sample_format", \.sampleFormat, help: "sample encoding: 16/24-bit integer or 32-bit float (WAV only)"),
        ])
}
