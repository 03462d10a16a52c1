import SluiceCore
import SluicePipelines
import SluiceWhisper

/// What `/v1/stream` runs: the stream pipeline's stages, from the audio a client sends to the events of its
/// streaming recognizer (`whisper.stream` or `simul.translate`), built anew for each stream.
///
/// The stages form a chain: each reads the one before it, the first reads the pipeline's input (here the
/// client's mono PCM at the rate it announced), and the recognizer is the last; its events go to the client
/// as JSON (its `format` is set to `jsonl`). The pipeline's `input` and `output` are not used.
public struct StreamSettings: Sendable {
    /// The stage types that make a stream pipeline.
    static let recognizerTypes: Set<String> = ["whisper.stream", "simul.translate"]

    /// The pipeline file.
    public var file: String
    public var modelName: String
    /// The recognizer stage's type.
    public var recognizerType: String
    /// The stages in order, the recognizer last.
    var stages: [Pipeline.Component]
    var registry: StageRegistry

    /// These settings with the recognizer decoding speech in `language` (a stream's `language` query parameter).
    /// - Throws: `StreamProtocolError` when the code is not a Whisper language, or the model is English-only
    ///   and the language is not English.
    func speaking(_ language: String) throws(StreamProtocolError) -> StreamSettings {
        let multilingual = (try? LoadedModels.whisper(modelName))?.tokens.isMultilingual ?? true
        if let problem = WhisperLanguages.problem(with: language, multilingual: multilingual) {
            throw StreamProtocolError("language (query parameter): \(problem)")
        }
        var changed = self
        changed.stages[changed.stages.count - 1].options = stages[stages.count - 1].options.setting("language", to: .string(language))
        return changed
    }

    /// Checks that `pipeline`'s stages form such a chain, with the recognizer at `recognizer` (an index
    /// into its components).
    /// - Throws: `ConfigurationError` naming each stage that is out of line.
    init(pipeline: Pipeline, recognizer: Int, modelName: String, registry: StageRegistry) throws(ConfigurationError) {
        let components = pipeline.components
        let recognizerStage = components[recognizer]
        var problems: [Diagnostic] = []
        for (index, component) in components.enumerated() where component.role == .stage {
            if index > recognizer {
                problems.append(
                    Diagnostic(
                        component.location,
                        "stage '\(component.id)' (\(component.typeName)) comes after "
                            + "'\(recognizerStage.id)' (\(recognizerStage.typeName)): sluice serve sends that stage's events to the client and would not run it"
                    ))
            } else if component.inputs != [index - 1] {
                problems.append(
                    Diagnostic(
                        component.location,
                        "stage '\(component.id)' (\(component.typeName)): sluice serve runs a stream "
                            + "pipeline as a chain from the client's audio to '\(recognizerStage.id)', each stage reading the one before it"))
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        file = pipeline.file
        self.modelName = modelName
        recognizerType = recognizerStage.typeName
        stages = Array(components[1...recognizer])
        self.registry = registry
    }

    /// The stages of one stream whose client sends mono audio at `sampleRate`.
    /// - Throws: `StreamProtocolError` (sent to the client, so naming no server path) when a stage does not take what reaches it (say, audio at another rate
    ///   than 16 kHz and no `audio.resample` stage), or cannot start.
    func chain(sampleRate: Int) throws(StreamProtocolError) -> StageChain {
        var format = StreamFormat.audio(AudioFormat(sampleRate: sampleRate, channels: 1))
        var built: [any Stage] = []
        for component in stages {
            let type = registry.stages[component.typeName]!
            do {
                _ = try type.negotiate(component.options, [format])
                let stage = try type.make(component.options, [format])
                built.append(stage)
                format = stage.outputFormat
            } catch let mismatch as FormatMismatch {
                throw StreamProtocolError(
                    "stage '\(component.id)' (\(component.typeName)) cannot take \(sampleRate) Hz audio: \(mismatch)")
            } catch {
                throw StreamProtocolError("stage '\(component.id)' (\(component.typeName)) cannot start: \(error)")
            }
        }
        return StageChain(built)
    }
}
