import Foundation
import SluicePipelines
import SluiceWhisper

/// What `sluice serve` serves when no `--pipeline` is given: the streaming and file endpoints with one model,
/// and translation streams too when that model is multilingual.
///
/// The built-in pipelines are YAML like the shipped ones (`Pipelines/transcribe-stream.yaml`,
/// `transcribe.yaml`, `translate-stream.yaml`), with the model put in, and go through the same validation.
extension ServedPipelines {
    /// The model served when neither `--model` nor `--pipeline` names one.
    public static let defaultModel = "tiny.en"

    /// The built-in pipelines for `model` (a model name or a CTranslate2 directory), loaded.
    /// - Throws: `ConfigurationError` when the model name cannot be put in a pipeline; a model loading error.
    public static func defaults(model: String) throws -> ServedPipelines {
        let multilingual = try LoadedModels.whisper(model).tokens.isMultilingual
        var sources: [(name: String, yaml: String)] = [
            ("built-in stream pipeline", DefaultPipelines.stream(model: model)),
            ("built-in transcription pipeline", DefaultPipelines.transcription(model: model)),
        ]
        if multilingual { sources.append(("built-in translation pipeline", DefaultPipelines.translation(model: model))) }
        return try load(
            sources.map { source in
                let read: PipelineReader = { validator, overrides throws(ConfigurationError) in
                    try validator.validate(yaml: source.yaml, file: source.name, overrides: overrides)
                }
                return (name: source.name, read: read)
            })
    }
}

/// The YAML of the built-in pipelines.
enum DefaultPipelines {
    /// Live transcription, as `Pipelines/transcribe-stream.yaml`.
    static func stream(model: String) -> String {
        pipeline(stage: "{ id: asr, type: whisper.stream, model: \(quoted(model)), step_ms: 500 }")
    }

    /// Uploaded files, as `Pipelines/transcribe.yaml` (without word times, which a request asks for).
    static func transcription(model: String) -> String {
        pipeline(stage: "{ id: asr, type: whisper.transcribe, model: \(quoted(model)), beam_size: 5 }")
    }

    /// Live translation to English with the spoken language's transcript beside it (the `source` lane).
    static func translation(model: String) -> String {
        pipeline(
            stage: "{ id: translate, type: simul.translate, model: \(quoted(model)), policy: align_att, latency: medium, source_lane: true }")
    }

    private static func pipeline(stage: String) -> String {
        """
        version: 1
        input:  { type: audio, path: "-" }
        stages:
          - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
          - \(stage)
        output: { type: text, path: "-" }
        """
    }

    /// `text` as a YAML double-quoted scalar (a model may be a path).
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
