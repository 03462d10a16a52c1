import ArgumentParser
import Foundation
import SluiceAudio
import SluiceCore
import SluiceFiles
import SluiceNN
import SluicePipelines
import SluiceSimul
import SluiceStages
import SluiceVAD
import SluiceWhisper

/// `sluice transcribe FILES…|-`: offline transcription of files with Whisper.
struct Transcribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transcribe audio files (or stdin) with Whisper.",
        discussion: """
            Decoding follows faster-whisper's defaults: beam search (5), temperature fallback, no-speech gating, \
            timestamps, conditioning on the previous text. With --output-dir, input a/b/name.ext writes \
            DIR/name.<txt|json|srt|vtt|jsonl>; without it, one input prints to stdout. Segments are written as they \
            are decoded (to a file under a temporary name, renamed when it is complete).
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
    var task: DecodingOptions.Task = .transcribe

    @Flag(help: "Word-level timestamps (cross-attention alignment); subtitle cues are then cut at word times.")
    var wordTimestamps = false

    @Option(help: "srt/vtt: characters a line at most (default 42; 0: one cue a segment, on one line).")
    var maxLineWidth: Int?

    @Option(help: "srt/vtt: lines a cue at most (default 2).")
    var maxLineCount: Int?

    @Option(help: "srt/vtt: characters a second at most; a cue is lengthened into the gap after it (default 20; 0: no limit).")
    var maxCps: Double?

    @Flag(
        help:
            "Decode only the speech Silero VAD finds (faster-whisper's vad_filter, with its defaults; times stay the input's); --stream always gates its steps on it. Needs `sluice models fetch silero-vad`."
    )
    var vad = false

    @Option(help: "Text that primes the first window (names, spelling).")
    var initialPrompt: String?

    @Flag(inversion: .prefixedNo, help: "Prompt each window with the previous text.")
    var conditionOnPreviousText = true

    @Option(
        help:
            "Files: txt, json, verbose_json, srt, vtt or jsonl (written as segments are decoded but json). --stream: txt (terminal when stdout is one), jsonl or terminal; interleaved with --task translate."
    )
    var format: OutputFormatName = "txt"

    @Option(help: "Write one file per input into this folder.")
    var outputDir: String?

    @Option(
        name: [.customShort("o"), .long],
        help: "Write the one input's transcript (or, with --stream, its events) to this file; it appears whole or not at all.")
    var output: String?

    @Option(help: "BLAS threads (default: the cores).")
    var threads: Int?

    @Flag(help: "Print where the time went (model load, features, encoder per window, decoder per token) to stderr.")
    var timings = false

    @Flag(help: "Stream: text as the audio arrives (partial and final events); see --format.")
    var stream = false

    @Flag(help: "With --stream: pace a file at 1x real time, as a live source would deliver it.")
    var realtime = false

    @Option(help: "With --stream: audio between decoding steps (ms; default 500, or the latency preset's with --task translate).")
    var stepMs: Int?

    @Option(
        help:
            "With --stream: padded (default: the buffered audio and 1 s of silence, at least 8 s), full (a 30 s window per step) or incremental (the buffered audio only)."
    )
    var encoder: StreamingOptions.Encoder?

    @Option(help: "With --stream --task translate: the read/write policy (default align_att).")
    var policy: SimulPolicy.Kind?

    @Option(help: "With --stream --task translate: the policy's latency preset (default medium).")
    var latency: LatencyLevel?

    @Flag(help: "With --stream --task translate: also write the transcript in the spoken language (lane \"source\").")
    var sourceLane = false

    @Option(help: "With --stream --task translate and no --language: the languages identification may choose from (de,es).")
    var languages: String?

    @Option(help: "With --stream: auto (WAV, FLAC, … by header), or raw s16le or f32le PCM (then give --sample-rate).")
    var inputFormat: AudioInputSettings.Encoding = .auto

    @Option(help: "With --stream and raw input: sample rate (Hz) and, with --channels, the channel count.")
    var sampleRate: Int?

    @Option(help: "With --stream and raw input: interleaved channels.")
    var channels: Int?

    func validate() throws {
        if let language, let problem = WhisperLanguages.problem(with: language) { throw ValidationError("--language: \(problem)") }
        if stream {
            if maxLineWidth != nil || maxLineCount != nil || maxCps != nil {
                throw ValidationError("--max-line-width, --max-line-count and --max-cps lay out the srt and vtt of files, not --stream")
            }
            let formats = (task == .translate ? StreamEventFormat.allCases.map(\.rawValue) : StreamTextFormat.allCases.map(\.rawValue))
            guard formats.contains(format.name) else {
                throw ValidationError(
                    "--stream\(task == .translate ? " --task translate" : "") writes --format \(formats.joined(separator: ", ")), got '\(format.name)'"
                )
            }
            if task == .translate {
                if encoder != nil { throw ValidationError("--encoder applies to transcription streams (translation pads to the stage's window_ms)") }
                if beamSize != nil {
                    throw ValidationError("--beam-size applies to transcription streams (simultaneous translation decodes greedily, token by token)")
                }
                if language != nil && languages != nil { throw ValidationError("--languages restricts identification: leave out --language") }
            } else if policy != nil || latency != nil || sourceLane || languages != nil {
                throw ValidationError("--policy, --latency, --source-lane and --languages apply to --stream --task translate")
            }
            guard inputs.count == 1 else { throw ValidationError("--stream takes one input (a file or -)") }
            guard outputDir == nil else { throw ValidationError("--stream writes to stdout or --output; --output-dir is for files") }
            if inputFormat != .auto && sampleRate == nil { throw ValidationError("raw --input-format \(inputFormat) needs --sample-rate") }
            if inputFormat == .auto && (sampleRate != nil || channels != nil) {
                throw ValidationError("--sample-rate and --channels describe raw input; add --input-format s16le or f32le")
            }
            for setting in streamSettings { try setting.check() }
            return
        }
        if inputFormat != .auto || sampleRate != nil || channels != nil {
            throw ValidationError("--input-format, --sample-rate and --channels apply to --stream")
        }
        if realtime { throw ValidationError("--realtime paces a --stream input") }
        if stepMs != nil || encoder != nil || policy != nil || latency != nil || sourceLane || languages != nil {
            throw ValidationError("--step-ms, --encoder, --policy, --latency, --source-lane and --languages apply to --stream")
        }
        guard let outputFormat = TranscriptFormat(rawValue: format.name) else {
            throw ValidationError(
                "--format for files must be one of \(TranscriptFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(format.name)'")
        }
        try StageFlag("--beam-size", beamSize, sets: "beam_size", of: "whisper.transcribe").check()
        try StageFlag("--max-line-width", maxLineWidth, sets: "max_line_width", of: "whisper.transcribe").check()
        try StageFlag("--max-line-count", maxLineCount, sets: "max_line_count", of: "whisper.transcribe").check()
        try StageFlag("--max-cps", maxCps, sets: "max_cps", of: "whisper.transcribe").check()
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if output != nil && outputDir != nil { throw ValidationError("--output names one file, --output-dir a folder: give one") }
        if output != nil && inputs.count > 1 { throw ValidationError("--output takes one input; several inputs need --output-dir") }
        if outputDir == nil && inputs.count > 1 { throw ValidationError("several inputs need --output-dir") }
        if inputs.contains("-") && inputs.count > 1 { throw ValidationError("- (stdin) cannot be combined with files") }
        if let outputDir {
            var writers: [String: String] = [:]
            for input in inputs {
                let path = Self.outputPath(of: input, in: outputDir, format: outputFormat)
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
        Ops.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let started = ContinuousClock.now
        let whisper = try loadModel()
        if stream { return try runStream() }
        let outputFormat = TranscriptFormat(rawValue: format.name)!
        var options = TranscriptionOptions()
        options.decoding.task = task
        options.decoding.language = language
        if let beamSize { options.decoding.beamSize = beamSize }
        options.wordTimestamps = wordTimestamps
        var layout = CueLayout()
        if let maxLineWidth { layout.maxLineWidth = maxLineWidth }
        if let maxLineCount { layout.maxLineCount = maxLineCount }
        if let maxCps { layout.maxCharactersPerSecond = maxCps }
        options.initialPrompt = initialPrompt
        options.conditionOnPreviousText = conditionOnPreviousText
        do {
            try checkOutputLocation()
        } catch {
            printError("sluice: error: \(error)")
            throw SluiceExit.runtimeFailure
        }
        let speechFilter = try vad ? loadSpeechFilter() : nil
        let loaded = ContinuousClock.now
        let transcriber = Transcriber(model: whisper, options: options)
        let statistics = TranscriptionStatistics()
        var featureTime = Duration.zero
        var failures = 0
        for input in inputs {
            do {
                let reader: any AudioReading = input == "-" ? try AudioDecoder(fileDescriptor: 0, name: "stdin") : try AudioDecoder(path: input)
                let featureStart = ContinuousClock.now
                let speech = try speechFilter?.speech(in: reader)  // --vad: the speech only, joined
                if let speech, timings { printError(Self.speechReport(speech, input: reader.name)) }
                let features = try speech?.features(mels: whisper.config.mels) ?? MelFeatures.read(reader, mels: whisper.config.mels)
                if let warning = reader.sampleGuard.warning(input: reader.name) { printError(warning) }
                featureTime += .now - featureStart
                // Segments are written as they are decoded: to stdout at once, to a file under its temporary name.
                let file = try (outputDir.map { Self.outputPath(of: input, in: $0, format: outputFormat) } ?? output).map(AtomicFile.init)
                let progress = ProgressLine.isShown ? ProgressLine(name: reader.name) : nil
                defer { progress?.clear() }
                progress?.update(done: 0, total: features.duration)
                var renderer = TranscriptRenderer(format: outputFormat, layout: layout)
                let duration = speech?.inputDuration ?? features.duration
                var sofar = Transcript(language: "en", task: task.rawValue, duration: duration, segments: [])
                func write(_ text: String) throws {
                    guard !text.isEmpty else { return }
                    if let file { return try FileDescriptor.write(text, to: file.descriptor, name: file.path) }
                    progress?.clear()
                    try writeStandardOutput(text)
                }
                var transcript = try transcriber.transcribe(features, statistics: statistics) { update in
                    var update = update
                    if let speech { update.segments = update.segments.map(speech.restoring) }  // --vad: the input's times
                    sofar.append(update)
                    try write(renderer.render(sofar, isComplete: false))
                    progress?.update(done: update.done, total: update.total)
                }
                if let speech { transcript = speech.restoring(transcript) }
                try write(renderer.render(transcript, isComplete: true))
                try file?.commit()
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
    private var modelName: String { model ?? (task == .translate ? "base" : "tiny.en") }

    /// Loads the model (shared with the stream's stage) and checks it against the flags, the same way for
    /// files and streams: a missing model or one that cannot do the task exits 78, a language it cannot decode 64.
    private func loadModel() throws -> WhisperModel {
        let whisper: WhisperModel
        do {
            whisper = try LoadedModels.whisper(modelName)
        } catch {
            printError("sluice: error: \(error)")
            throw SluiceExit.configuration
        }
        let multilingual = whisper.tokens.isMultilingual
        if let language, let problem = WhisperLanguages.problem(with: language, multilingual: multilingual) {
            printError("sluice: error: --language: \(problem) (--model \(modelName))")
            throw SluiceExit.usage
        }
        if task == .translate && !multilingual {
            printError("sluice: error: \(modelName) is English-only; translation needs a multilingual model (base)")
            throw SluiceExit.configuration
        }
        return whisper
    }

    /// Silero VAD for --vad; a missing model exits 78 with how to install it.
    private func loadSpeechFilter() throws -> SpeechFilter {
        do {
            return SpeechFilter(network: try LoadedModels.sileroVAD())
        } catch {
            printError("sluice: error: --vad: \(error)")
            throw SluiceExit.configuration
        }
    }

    /// What --vad kept, for --timings.
    static func speechReport(_ speech: SpeechOnlyAudio, input: String) -> String {
        "sluice: vad: \(input): \(speech.regions.count) speech regions, "
            + String(format: "%.1f s of %.1f s kept", speech.duration, speech.inputDuration)
    }

    /// The streaming graph: input → 16 kHz mono → whisper.stream (or simul.translate) → stdout.
    private func runStream() throws {
        let yaml = """
            version: 1
            input: { type: audio, path: "-" }
            stages:
              - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
              - { id: asr, type: \(streamStageType) }
            output: { type: text, path: "-" }
            """
        let overrides = streamSettings.compactMap(\.override)
        let nodes = try GraphExecution.build { try $0.validate(yaml: yaml, file: "transcribe --stream", overrides: overrides) }
        try GraphExecution.run(nodes, realtime: realtime, stats: false, drainTimeout: GraphExecution.defaultDrainTimeout)
    }

    private var streamStageType: String { task == .translate ? "simul.translate" : "whisper.stream" }

    /// Each --stream flag and the stage option it sets, whose declaration checks it.
    private var streamSettings: [StageFlag] {
        let stage = streamStageType
        let textFormat = format.name == "txt" && output == nil && isatty(STDOUT_FILENO) != 0 ? "terminal" : format.name
        var settings = [
            StageFlag("input", inputs[0], sets: "path", of: "audio", target: "input"),
            StageFlag("--model", modelName, sets: "model", of: stage),
            StageFlag("--format", textFormat, sets: "format", of: stage),
            StageFlag("--task", task.rawValue, sets: "task", of: stage),
            StageFlag("--language", language, sets: "language", of: stage),
            StageFlag("--step-ms", stepMs, sets: "step_ms", of: stage),
            StageFlag("--beam-size", beamSize, sets: "beam_size", of: stage),
            StageFlag("--encoder", encoder?.rawValue, sets: "encoder", of: stage),
            StageFlag("--policy", policy?.rawValue, sets: "policy", of: stage),
            StageFlag("--latency", latency?.rawValue, sets: "latency", of: stage),
            StageFlag("--source-lane", sourceLane ? true : nil, sets: "source_lane", of: stage),
            StageFlag("--languages", languages, sets: "languages", of: stage),
            StageFlag("--vad", vad ? true : nil, sets: "silero_vad", of: stage),
            StageFlag("--output", output, sets: "path", of: "text", target: "output"),
            StageFlag("--input-format", inputFormat == .auto ? nil : inputFormat.rawValue, sets: "format", of: "audio", target: "input"),
            StageFlag("--sample-rate", sampleRate, sets: "sample_rate_hz", of: "audio", target: "input"),
            StageFlag("--channels", channels, sets: "channels", of: "audio", target: "input"),
        ]
        // A file read as fast as it decodes is not live: fixed steps, the same output on any machine.
        if !realtime && inputs[0] != "-" { settings.append(StageFlag("--stream", false, sets: "keep_up", of: stage)) }
        return settings
    }

    /// One line of timings, as whisper.cpp prints them.
    static func timingReport(load: Duration, features: Duration, _ statistics: TranscriptionStatistics, total: Duration) -> String {
        func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1000 }
        let perWindow = milliseconds(statistics.encoding) / Double(max(1, statistics.windows))
        let perToken = milliseconds(statistics.decoding) / Double(max(1, statistics.tokens))
        return String(
            format: "sluice: timings: load %.0f ms, features %.0f ms, encoder %d windows × %.0f ms, decoder %d tokens × %.1f ms, total %.0f ms",
            milliseconds(load), milliseconds(features), statistics.windows, perWindow, statistics.tokens, perToken, milliseconds(total))
    }
}
