import SluiceCore
import SluicePipelines
import SluiceStages
import SluiceWhisper

/// What `/v1/stream` runs: the `whisper.stream` stage of the stream pipeline, with its model loaded.
public struct StreamSettings: Sendable {
    /// The pipeline file.
    public var file: String
    public var modelName: String
    var model: WhisperModel
    public var options: StreamingOptions
}

/// What `/v1/audio/transcriptions` and `/v1/audio/translations` run: the `whisper.transcribe` stage of the
/// offline pipeline, with its model loaded.
public struct TranscriptionSettings: Sendable {
    public var file: String
    public var modelName: String
    var model: WhisperModel
    public var options: TranscriptionOptions
}

/// The pipelines `sluice serve --pipeline` names: at most one streaming and one offline.
///
/// - A pipeline's kind is its Whisper stage: `whisper.stream` serves the WebSocket endpoint,
///   `whisper.transcribe` the OpenAI-style endpoints. The stage's options (model, beam size, step, …) are
///   what the service decodes with.
/// - Audio arrives over the network, so the pipeline's `input` and `output` are not used, and the service
///   converts to 16 kHz mono itself (an `audio.resample` stage is accepted for that reason); any other
///   stage is a configuration error, since the service would not run it.
public struct ServedPipelines: Sendable {
    public var stream: StreamSettings?
    public var transcription: TranscriptionSettings?

    /// Validates the pipeline files and loads their models (one load per model, shared by every session).
    /// - Throws: `ConfigurationError` (file:line:col diagnostics) for invalid or unsuitable pipelines;
    ///   a model loading error otherwise.
    public static func load(paths: [String]) throws -> ServedPipelines {
        let validator = PipelineValidator(registry: .standard)
        var served = ServedPipelines()
        var problems: [Diagnostic] = []
        for path in paths {
            let pipeline = try validator.load(path: path)
            let stages = pipeline.components.filter { $0.role == .stage }
            let whisper = stages.filter { whisperStages.contains($0.typeName) }
            for stage in stages where stage.typeName != "audio.resample" && !whisperStages.contains(stage.typeName) {
                problems.append(Diagnostic(stage.location, "stage '\(stage.id)' (\(stage.typeName)): sluice serve runs a pipeline's "
                    + "whisper.stream or whisper.transcribe stage on 16 kHz mono audio, and no other stage"))
            }
            guard whisper.count == 1, let stage = whisper.first else {
                problems.append(Diagnostic(.file(path: path, line: 1, column: 1),
                    "sluice serve needs exactly one whisper.stream or whisper.transcribe stage in each pipeline, found \(whisper.count)"))
                continue
            }
            let modelName = stage.typeName == "whisper.stream"
                ? StreamStageSettings.options.settings(stage.options).model : TranscribeStageSettings.options.settings(stage.options).model
            if stage.typeName == "whisper.stream" {
                guard served.stream == nil else {
                    problems.append(Diagnostic(stage.location, "a second streaming pipeline (the first is \(served.stream!.file)); serve takes one"))
                    continue
                }
                served.stream = StreamSettings(file: path, modelName: modelName, model: try LoadedModels.whisper(modelName),
                                               options: StreamStageSettings.options.settings(stage.options).streaming)
            } else {
                guard served.transcription == nil else {
                    problems.append(Diagnostic(stage.location, "a second offline pipeline (the first is \(served.transcription!.file)); serve takes one"))
                    continue
                }
                served.transcription = TranscriptionSettings(file: path, modelName: modelName, model: try LoadedModels.whisper(modelName),
                                                             options: TranscribeStageSettings.options.settings(stage.options).transcription)
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        return served
    }
}

/// The stage types that make a pipeline servable.
private let whisperStages: Set<String> = ["whisper.stream", "whisper.transcribe"]
