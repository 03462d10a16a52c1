import SluiceCore
import SluicePipelines
import SluiceTestSupport
import Testing

@testable import SluiceServer

/// How `sluice serve` runs a stream pipeline: a chain of its stages, built per stream for the client's rate.
@Suite struct StreamPipelineTests {
    static func settings(_ stages: String, input: String = #"{ type: audio, path: "-" }"#) throws -> StreamSettings {
        let validator = PipelineValidator(registry: .standard)
        let pipeline = try validator.validate(
            yaml: """
                version: 1
                input: \(input)
                stages:
                \(stages)
                output: { type: text, path: "-" }
                """, file: "p.yaml")
        let recognizer = pipeline.components.firstIndex { StreamSettings.recognizerTypes.contains($0.typeName) }!
        return try StreamSettings(pipeline: pipeline, recognizer: recognizer, modelName: "tiny.en", registry: validator.registry)
    }

    @Test(.needsModels("tiny.en")) func withoutAResampleStageOnly16kHzIsTaken() throws {
        let settings = try Self.settings(
            "  - { id: asr, type: whisper.stream, model: tiny.en }",
            input: #"{ type: audio, path: "-", format: s16le, sample_rate_hz: 16000, channels: 1 }"#)
        #expect(settings.recognizerType == "whisper.stream" && settings.modelName == "tiny.en")
        let error = #expect(throws: StreamProtocolError.self) { _ = try settings.chain(sampleRate: 8000) }
        let message = error?.message ?? ""
        #expect(
            message.contains("stage 'asr' (whisper.stream) cannot take 8000 Hz audio") && message.contains("audio.resample"), "\(message)")
        _ = try settings.chain(sampleRate: 16000)
    }

    @Test(.needsModels("tiny.en")) func stagesBesideTheChainAreConfigurationErrors() throws {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try Self.settings(
                """
                  - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
                  - { id: dry, type: audio.gain, gain_db: 0, inputs: [resample] }
                  - { id: wet, type: audio.gain, gain_db: -6, inputs: [resample] }
                  - { id: mix, type: audio.mix, inputs: [dry, wet] }
                  - { id: asr, type: simul.translate }
                """)
        }
        let lines = error?.diagnostics.map(\.description) ?? []
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { $0.contains("sluice serve runs a stream pipeline as a chain from the client's audio to 'asr'") })
        #expect(lines.first?.contains("stage 'wet'") == true && lines.last?.contains("stage 'mix'") == true)
    }
}
