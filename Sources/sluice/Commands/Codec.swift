import ArgumentParser
import Foundation
import SluiceCodec
import SluiceCore
import SluicePipelines

/// `sluice codec encode|decode|info`: the neural audio codec and its `.sluc` code files.
struct Codec: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode audio to 2 kbps neural codec codes (.sluc) and decode them back.",
        subcommands: [Encode.self, Decode.self, Info.self]
    )

    /// Options shared by encode and decode.
    struct Common: ParsableArguments {
        @Option(name: [.customShort("o"), .customLong("output")], help: "Output path, or - for stdout.")
        var output: String

        @Option(help: "bundled, or a folder with codec.json and codec.safetensors.")
        var model = "bundled"

        @Flag(help: "Print per-stage metrics to stderr at exit.")
        var stats = false
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode audio (any rate and channels; resampled to 16 kHz mono) to a .sluc file.")

        @Argument(help: "Audio file (WAV, FLAC, MP3, M4A, …), or - for stdin.")
        var input: String

        @OptionGroup var common: Common

        func run() throws {
            try Codec.run(
                input: "{ type: audio, path: \(quoted(input)) }",
                stages: [
                    "{ id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }",
                    "{ id: encode, type: codec.encode, model: \(quoted(common.model)) }",
                ],
                output: "{ type: sluc, path: \(quoted(common.output)) }", stats: common.stats)
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode a .sluc file to 16 kHz mono WAV (or FLAC by extension).")

        @Argument(help: "A .sluc file, or - for stdin.")
        var input: String

        @OptionGroup var common: Common

        func run() throws {
            try Codec.run(
                input: "{ type: sluc, path: \(quoted(input)) }",
                stages: ["{ id: decode, type: codec.decode, model: \(quoted(common.model)) }"],
                output: "{ type: audio, path: \(quoted(common.output)) }", stats: common.stats)
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a .sluc file and print its header, length and bitrate.")

        @Argument(help: "A .sluc file, or - for stdin.")
        var file: String

        func run() throws {
            do {
                var reader = try SlucReader(path: file)
                let header = reader.header
                while try reader.nextChunk() != nil {}
                let seconds = Double(reader.frames * header.hop) / Double(header.sampleRate)
                let fileBitrate = seconds > 0 ? Double(reader.offset * 8) / seconds : 0
                try printLine(
                    """
                    format: sluc version \(SlucHeader.version)
                    sample rate: \(header.sampleRate) Hz
                    hop: \(header.hop) samples (\((Double(header.sampleRate) / Double(header.hop)).formatted(maxFractionDigits: 3)) frames/s)
                    quantizer: \(header.groups) groups × \(header.levels) levels × \(header.codebookSize) codes (\(header.bitsPerCode) bits)
                    frames: \(reader.frames)\(header.frameCount == nil ? " (written live; the header holds no count)" : "")
                    duration: \(seconds.formatted(maxFractionDigits: 3)) s
                    bitrate: \(header.bitrate.formatted(maxFractionDigits: 1)) bit/s codes, \(fileBitrate.formatted(maxFractionDigits: 1)) bit/s with framing
                    bytes: \(reader.offset)
                    checksums: ok
                    """)
            } catch {
                printError("sluice: error: \(file == "-" ? "stdin" : file): \(error)")
                throw SluiceExit.runtimeFailure
            }
        }
    }

    /// Builds and runs a one-input, one-output pipeline.
    static func run(input: String, stages: [String], output: String, stats: Bool) throws {
        let yaml = "version: 1\ninput: \(input)\nstages:\n" + stages.map { "  - \($0)\n" }.joined() + "output: \(output)\n"
        let nodes = try GraphExecution.build { try $0.validate(yaml: yaml, file: "<sluice codec>") }
        try GraphExecution.run(nodes, realtime: false, stats: stats, drainTimeout: GraphExecution.defaultDrainTimeout)
    }
}

/// A YAML double-quoted scalar.
private func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
