import SluiceCore
import SluicePipelines
import SluiceStages
import SluiceWhisper

/// What `/v1/audio/transcriptions` and `/v1/audio/translations` run: the `whisper.transcribe` stage of the
/// offline pipeline, with its model loaded.
public struct TranscriptionSettings: Sendable {
    public var file: String
    public var modelName: String
    var model: WhisperModel
    public var options: TranscriptionOptions
    /// `silero_vad`: uploads are cut to their speech before decoding, and the times mapped back.
    var speechFilter: SpeechFilter?
}

/// The pipelines `sluice serve --pipeline` names: at most one streaming and one offline.
///
/// - A pipeline's kind is its Whisper stage: a streaming recognizer (`whisper.stream` transcribes,
///   `simul.translate` translates) serves the WebSocket endpoint, `whisper.transcribe` the OpenAI-style
///   endpoints. The stage's options (model, beam size, step, policy, …) are what the service decodes with.
/// - Audio arrives over the network, so the pipeline's `input` and `output` are not used. A stream pipeline
///   runs as a chain of its stages on the client's audio (``StreamSettings``), its `audio.resample` included.
///   The offline endpoints decode an upload at its own rate and convert it to 16 kHz mono themselves: there an
///   `audio.resample` stage is accepted and not run, and any other stage is a configuration error.
public struct ServedPipelines: Sendable {
    /// The `whisper.stream` pipeline: what `/v1/stream` runs by default, and for `task=transcribe`.
    public var transcriptionStream: StreamSettings?
    /// The `simul.translate` pipeline: what `/v1/stream?task=translate` runs.
    public var translationStream: StreamSettings?
    public var transcription: TranscriptionSettings?

    /// What a plain `/v1/stream` runs: the transcription stream, else the translation stream.
    public var stream: StreamSettings? { transcriptionStream ?? translationStream }

    /// The stream pipeline a client's `task` query parameter asks for (none: the default one).
    /// - Throws: `StreamProtocolError` naming the task when it is unknown or not served here.
    func stream(task: String?) throws(StreamProtocolError) -> StreamSettings {
        switch task ?? "" {
        case "":
            if let stream { return stream }
        case "transcribe":
            if let transcriptionStream { return transcriptionStream }
        case "translate":
            if let translationStream { return translationStream }
        case let other:
            throw StreamProtocolError("task '\(other)' is not one of transcribe, translate (query parameter 'task')")
        }
        throw StreamProtocolError(
            "this server does not stream \(task == "translate" ? "translations: serve a multilingual model (--model base) or a simul.translate pipeline" : "transcriptions: serve a whisper.stream pipeline")"
        )
    }

    /// Validates the pipeline files and loads their models (one load per model, shared by every session).
    /// - Throws: `ConfigurationError` (file:line:col diagnostics) for invalid or unsuitable pipelines;
    ///   a model loading error otherwise.
    public static func load(paths: [String]) throws -> ServedPipelines {
        try load(
            paths.map { path in
                let read: PipelineReader = { validator, overrides throws(ConfigurationError) in try validator.load(path: path, overrides: overrides) }
                return (name: path, read: read)
            })
    }

    /// Reads one pipeline, with overrides, through the validator.
    typealias PipelineReader = (PipelineValidator, [Override]) throws(ConfigurationError) -> Pipeline

    /// Validates the pipelines `sources` name (a name for messages and a reader each) and loads their models.
    static func load(_ sources: [(name: String, read: PipelineReader)]) throws -> ServedPipelines {
        let validator = PipelineValidator(registry: .standard)
        var served = ServedPipelines()
        var problems: [Diagnostic] = []
        for (path, read) in sources {
            let pipeline = try read(validator, [])
            let stages = pipeline.components.filter { $0.role == .stage }
            let whisper = stages.filter { whisperStages.contains($0.typeName) }
            guard whisper.count == 1, let stage = whisper.first else {
                problems.append(
                    Diagnostic(
                        .file(path: path, line: 1, column: 1),
                        "sluice serve needs exactly one whisper.stream, simul.translate or whisper.transcribe stage in each pipeline, found \(whisper.count)"
                    ))
                continue
            }
            let modelName = Self.modelName(of: stage)
            if StreamSettings.recognizerTypes.contains(stage.typeName) {
                let translates = stage.typeName == "simul.translate"
                if let first = translates ? served.translationStream : served.transcriptionStream {
                    problems.append(
                        Diagnostic(
                            stage.location,
                            "a second \(stage.typeName) pipeline (the first is \(first.file)); serve takes one of each streaming kind"))
                    continue
                }
                do {
                    // The WebSocket sends JSON events, whatever the stage would write.
                    let jsonEvents = Override(target: stage.id, option: "format", value: "jsonl", origin: "sluice serve")
                    let jsonPipeline = try read(validator, [jsonEvents])
                    let recognizer = jsonPipeline.components.firstIndex { $0.id == stage.id }!
                    _ = try LoadedModels.whisper(modelName)
                    let settings = try StreamSettings(
                        pipeline: jsonPipeline, recognizer: recognizer, modelName: modelName, registry: validator.registry)
                    if translates { served.translationStream = settings } else { served.transcriptionStream = settings }
                } catch let error as ConfigurationError {
                    problems += error.diagnostics
                }
            } else {
                for other in stages where other.typeName != "audio.resample" && other.id != stage.id {
                    problems.append(
                        Diagnostic(
                            other.location,
                            "stage '\(other.id)' (\(other.typeName)): sluice serve runs an offline pipeline's "
                                + "whisper.transcribe stage on 16 kHz mono audio, and no other stage"))
                }
                guard served.transcription == nil else {
                    problems.append(
                        Diagnostic(stage.location, "a second offline pipeline (the first is \(served.transcription!.file)); serve takes one"))
                    continue
                }
                let settings = TranscribeStageSettings.options.settings(stage.options)
                do {
                    try WhisperStageOptions.check(sileroVAD: settings.speechRegions)
                } catch {
                    problems.append(Diagnostic(stage.location, "stage '\(stage.id)': \(error)"))
                    continue
                }
                served.transcription = TranscriptionSettings(
                    file: path, modelName: modelName, model: try LoadedModels.whisper(modelName), options: settings.transcription,
                    speechFilter: try settings.speechRegions.map { SpeechFilter(network: try LoadedModels.sileroVAD(), options: $0) })
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        return served
    }

    /// The model a servable stage names, read through the stage's own option declarations.
    private static func modelName(of stage: Pipeline.Component) -> String {
        switch stage.typeName {
        case "whisper.stream": StreamStageSettings.options.settings(stage.options).model
        case "simul.translate": SimulStageSettings.options.settings(stage.options).model
        default: TranscribeStageSettings.options.settings(stage.options).model
        }
    }
}

/// The stage types that make a pipeline servable.
private let whisperStages: Set<String> = StreamSettings.recognizerTypes.union(["whisper.transcribe"])
