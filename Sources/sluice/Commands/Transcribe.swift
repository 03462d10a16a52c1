import ArgumentParser
import Foundation
import SluiceAudio
import SluiceCore
import SluiceFiles
import SluicePipelines
import SluiceNN
import SluiceSimul
import SluiceWhisper

/// `sluice transcribe FILES…|-`: offline transcription of files with Whisper.
struct Transcribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transcribe audio files (or stdin) with Whisper.",
        discussion: """
            Decoding follows faster-whisper's defaults: beam search (5), temperature fallback, no-speech gating, \
            timestamps, conditioning on the previous text. With --output-dir, input a/b/name.ext writes \
            DIR/name.<txt|json|srt|vtt>; without it, one input prints to stdout.
            """
    )

    @Argument(help: "Audio files, or - for stdin.")
    var inputs: [String]

    @Option(help: "Model name (see `sluice models list`) or a CTranslate2 Whisper directory (default: tiny.en; base for --task translate).")
    var model: String?

    @Option(help: "Beam width at temperature 0 (1 = greedy; default 5, 8 with --stream).")
    var beamSize: Int?

    @Option(help: "Language code (en, de, …); detected when omitted on multilingual models.")
    var language: String?

    @Option(help: "transcribe, or translate (to English).")
    var task: String = "transcribe"

    @Flag(help: "Word-level timestamps (cross-attention alignment).")
    var wordTimestamps = false

    @Option(help: "Text that primes the first window (names, spelling).")
    var initialPrompt: String?

    @Flag(inversion: .prefixedNo, help: "Prompt each window with the previous text.")
    var conditionOnPreviousText = true

    @Option(help: "Output format: txt, json, verbose_json, srt, vtt.")
    var format: String = "txt"

    @Option(help: "Write one file per input into this folder.")
    var outputDir: String?

    @Option(name: [.customShort("o"), .long], help: "Write the one input's transcript (or, with --stream, its events) to this file; it appears whole or not at all.")
    var output: String?

    @Option(help: "BLAS threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print where the time went (model load, features, encoder per window, decoder per token) to stderr.")
    var timings = false

    @Flag(help: "Stream: text as the audio arrives (partial and final lanes); --format jsonl or txt.")
    var stream = false

    @Flag(help: "With --stream: pace a file at 1x real time, as a live source would deliver it.")
    var realtime = false

    @Option(help: "With --stream: audio between decoding steps (ms; default 500, or the latency preset's with --task translate).")
    var stepMs: Int?

    @Option(help: "With --stream: padded (default: the buffered audio and 1 s of silence, at least 8 s), full (a 30 s window per step) or incremental (the buffered audio only).")
    var encoder: String?

    @Option(help: "With --stream --task translate: the read/write policy, align_att, wait_k or local_agreement.")
    var policy: String?

    @Option(help: "With --stream --task translate: low, low_medium, medium, medium_high or high.")
    var latency: String?

    @Flag(help: "With --stream --task translate: also write the transcript in the spoken language (lane \"source\").")
    var sourceLane = false

    @Option(help: "With --stream: auto (WAV, FLAC, … by header), or raw s16le or f32le PCM (then give --sample-rate).")
    var inputFormat = "auto"

    @Option(help: "With --stream and raw input: sample rate (Hz) and, with --channels, the channel count.")
    var sampleRate: Int?

    @Option(help: "With --stream and raw input: interleaved channels.")
    var channels: Int?

    func validate() throws {
        if stream {
            let translating = task == "translate"
            let formats = translating ? ["jsonl", "txt", "interleaved"] : ["jsonl", "txt"]
            guard formats.contains(format) else {
                throw ValidationError("--stream\(translating ? " --task translate" : "") writes --format \(formats.joined(separator: ", ")), got '\(format)'")
            }
            guard ["transcribe", "translate"].contains(task) else { throw ValidationError("--task must be transcribe or translate, got '\(task)'") }
            if translating {
                if encoder != nil { throw ValidationError("--encoder applies to transcription streams (translation pads to the stage's window_s)") }
                if beamSize != nil { throw ValidationError("--beam-size applies to transcription streams (simultaneous translation decodes greedily, token by token)") }
                if let policy, SimulPolicy.Kind(rawValue: policy) == nil {
                    throw ValidationError("--policy must be one of \(SimulPolicy.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(policy)'")
                }
                if let latency, LatencyLevel(rawValue: latency) == nil {
                    throw ValidationError("--latency must be one of \(LatencyLevel.allCases.map(\.rawValue).joined(separator: ", ")), got '\(latency)'")
                }
            } else if policy != nil || latency != nil || sourceLane {
                throw ValidationError("--policy, --latency and --source-lane apply to --stream --task translate")
            }
            guard inputs.count == 1 else { throw ValidationError("--stream takes one input (a file or -)") }
            guard outputDir == nil else { throw ValidationError("--stream writes to stdout or --output; --output-dir is for files") }
            if let stepMs, !(100...10_000).contains(stepMs) { throw ValidationError("--step-ms must be in 100...10000") }
            if let encoder, StreamingOptions.Encoder(rawValue: encoder) == nil {
                throw ValidationError("--encoder must be one of \(StreamingOptions.Encoder.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard ["auto", "s16le", "f32le"].contains(inputFormat) else { throw ValidationError("--input-format must be auto, s16le or f32le") }
            if inputFormat != "auto" && sampleRate == nil { throw ValidationError("raw --input-format \(inputFormat) needs --sample-rate") }
            if inputFormat == "auto" && (sampleRate != nil || channels != nil) {
                throw ValidationError("--sample-rate and --channels describe raw input; add --input-format s16le or f32le")
            }
            return
        }
        if inputFormat != "auto" || sampleRate != nil || channels != nil { throw ValidationError("--input-format, --sample-rate and --channels apply to --stream") }
        if realtime { throw ValidationError("--realtime paces a --stream input") }
        if stepMs != nil || encoder != nil || policy != nil || latency != nil || sourceLane {
            throw ValidationError("--step-ms, --encoder, --policy, --latency and --source-lane apply to --stream")
        }
        guard TranscriptFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(TranscriptFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(format)'")
        }
        guard DecodingOptions.Task(rawValue: task) != nil else { throw ValidationError("--task must be transcribe or translate, got '\(task)'") }
        if let beamSize, !(1...16).contains(beamSize) { throw ValidationError("--beam-size must be in 1...16") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if output != nil && outputDir != nil { throw ValidationError("--output names one file, --output-dir a folder: give one") }
        if output != nil && inputs.count > 1 { throw ValidationError("--output takes one input; several inputs need --output-dir") }
        if outputDir == nil && inputs.count > 1 { throw ValidationError("several inputs need --output-dir") }
        if inputs.contains("-") && inputs.count > 1 { throw ValidationError("- (stdin) cannot be combined with files") }
        if let outputDir {
            var writers: [String: String] = [:]
            for input in inputs {
                let path = Self.outputPath(of: input, in: outputDir, format: TranscriptFormat(rawValue: format)!)
                if let earlier = writers.updateValue(input, forKey: path) {
                    throw ValidationError("\(earlier) and \(input) would both write \(path); rename one or transcribe them separately")
                }
            }
        }
    }

    /// DIR/NAME.EXT for input a/b/NAME.ext.
    static func outputPath(of input: String, in folder: String, format: TranscriptFormat) -> String {
        let name = URL(fileURLWithPath: input == "-" ? "stdin" : input).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: folder).appendingPathComponent("\(name).\(format.fileExtension)").path
    }

    /// Makes sure the transcripts can be written before any decoding: the folder exists (or is made) and is writable.
    private func checkOutputLocation() throws {
        let folder: String
        if let outputDir {
            if let code = Folder.create(outputDir) { throw FileError("--output-dir \(outputDir): cannot create the folder: \(Folder.reason(code))") }
            folder = outputDir
        } else if let output {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw FileError("--output \(output): is a folder")
            }
            folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        } else {
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError("\(folder): no such folder")
        }
        guard access(folder, W_OK) == 0 else { throw FileError("\(folder): cannot write there (\(String(cString: strerror(errno))))") }
    }

    func run() throws {
        Ops.setThreads(threads)
        if stream { return try runStream() }
        let outputFormat = TranscriptFormat(rawValue: format)!
        var options = DecodingOptions()
        options.task = DecodingOptions.Task(rawValue: task)!
        options.language = language
        if let beamSize { options.beamSize = beamSize }
        options.wordTimestamps = wordTimestamps
        options.initialPrompt = initialPrompt
        options.conditionOnPreviousText = conditionOnPreviousText

        let started = ContinuousClock.now
        let whisper: WhisperModel
        do {
            try checkOutputLocation()
            whisper = try WhisperModel(directory: try ModelStore().resolve(modelName))
        } catch {
            printError("sluice: error: \(error)")
            throw SluiceExit.runtimeFailure
        }
        let loaded = ContinuousClock.now
        let transcriber = Transcriber(model: whisper, options: options)
        let statistics = TranscriptionStatistics()
        var featureTime = Duration.zero
        var failures = 0
        for input in inputs {
            do {
                let reader: any AudioReading = input == "-" ? try AudioDecoder(fileDescriptor: 0, name: "stdin") : try AudioDecoder(path: input)
                let featureStart = ContinuousClock.now
                let features = try MelFeatures.read(reader, mels: whisper.config.mels)
                if let warning = reader.sampleGuard.warning(input: reader.name) { printError(warning) }
                featureTime += .now - featureStart
                let transcript = try transcriber.transcribe(features, statistics: statistics)
                let rendered = outputFormat.render(transcript)
                if let path = outputDir.map({ Self.outputPath(of: input, in: $0, format: outputFormat) }) ?? output {
                    let file = try AtomicFile(path: path)
                    try FileDescriptor.write(rendered, to: file.descriptor, name: path)
                    try file.commit()
                } else {
                    try writeStandardOutput(rendered)
                }
            } catch let error as FileError where outputDir == nil {
                printError("sluice: error: \(error)")  // the one output cannot be written: nothing else to do
                throw SluiceExit.runtimeFailure
            } catch {
                printError("sluice: error: \(error)")
                failures += 1
            }
        }
        if timings { printError(Self.timingReport(load: loaded - started, features: featureTime, statistics, total: .now - started)) }
        if failures > 0 { throw SluiceExit.runtimeFailure }
    }

    /// The model: as given, or tiny.en (base to translate: tiny.en is English-only).
    private var modelName: String { model ?? (task == "translate" ? "base" : "tiny.en") }

    /// The streaming graph: input → 16 kHz mono → whisper.stream (or simul.translate) → stdout.
    private func runStream() throws {
        let translating = task == "translate"
        let yaml = """
            version: 1
            input: { type: audio, path: "-" }
            stages:
              - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
              - { id: asr, type: \(translating ? "simul.translate" : "whisper.stream") }
            output: { type: text, path: "-" }
            """
        let textFormat = format == "txt" ? (output == nil && isatty(STDOUT_FILENO) != 0 ? "terminal" : "text") : format
        // (stage, option, value, flag): each flag becomes an override of the graph above.
        var settings = [("input", "path", inputs[0], "input"), ("asr", "model", modelName, "--model"), ("asr", "format", textFormat, "--format")]
        if let stepMs { settings.append(("asr", "step_ms", String(stepMs), "--step-ms")) }
        if translating {
            if let policy { settings.append(("asr", "policy", policy, "--policy")) }
            if let latency { settings.append(("asr", "latency", latency, "--latency")) }
            if sourceLane { settings.append(("asr", "source_lane", "true", "--source-lane")) }
        } else {
            settings.append(("asr", "task", task, "--task"))
            if let beamSize { settings.append(("asr", "beam_size", String(beamSize), "--beam-size")) }
            if let encoder { settings.append(("asr", "encoder", encoder, "--encoder")) }
        }
        if let language { settings.append(("asr", "language", language, "--language")) }
        if let output { settings.append(("output", "path", output, "--output")) }
        // A file read as fast as it decodes is not live: fixed steps, the same output on any machine.
        if !realtime && inputs[0] != "-" { settings.append(("asr", "keep_up", "false", "--stream")) }
        if inputFormat != "auto" { settings.append(("input", "format", inputFormat, "--input-format")) }
        if let sampleRate { settings.append(("input", "sample_rate_hz", String(sampleRate), "--sample-rate")) }
        if let channels { settings.append(("input", "channels", String(channels), "--channels")) }
        let numeric: Set = ["step_ms", "beam_size", "sample_rate_hz", "channels", "keep_up", "source_lane"]
        let overrides = settings.map { target, option, value, flag in
            Override(target: target, option: option, value: value, literal: !numeric.contains(option), origin: flag)
        }
        let nodes = try GraphExecution.build { try $0.validate(yaml: yaml, file: "transcribe --stream", overrides: overrides) }
        try GraphExecution.run(nodes, realtime: realtime, stats: false, drainTimeout: 10)
    }

    /// One line of timings, as whisper.cpp prints them.
    static func timingReport(load: Duration, features: Duration, _ statistics: TranscriptionStatistics, total: Duration) -> String {
        func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1000 }
        let perWindow = milliseconds(statistics.encoding) / Double(max(1, statistics.windows))
        let perToken = milliseconds(statistics.decoding) / Double(max(1, statistics.tokens))
        return String(format: "sluice: timings: load %.0f ms, features %.0f ms, encoder %d windows × %.0f ms, decoder %d tokens × %.1f ms, total %.0f ms",
                      milliseconds(load), milliseconds(features), statistics.windows, perWindow, statistics.tokens, perToken, milliseconds(total))
    }
}
