import SluiceCore
import SluicePipelines
import Testing

@Suite struct PipelineValidatorTests {
    let validator = PipelineValidator(registry: .standard)

    func diagnostics(_ yaml: String, overrides: [Override] = []) -> [String] {
        do {
            _ = try validator.validate(yaml: yaml, file: "p.yaml", overrides: overrides)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func validPipelineResolvesDefaultsEdgesAndQueues() throws {
        let pipeline = try validator.validate(
            yaml: """
                input: { type: audio, format: s16le, sample_rate_hz: 44100, channels: 2, when_full: drop_newest }
                stages:
                  - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
                  - { id: dry, type: audio.gain, gain_db: 0, inputs: [resample] }
                  - { id: wet, type: audio.gain, gain_db: -6, inputs: [resample], queue: { max_packets: 3, max_duration_ms: 500 } }
                  - { id: mix, type: audio.mix, inputs: [dry, wet] }
                output: { type: audio, path: out.wav }
                """, file: "p.yaml")
        #expect(pipeline.components.map(\.id) == ["input", "resample", "dry", "wet", "mix", "output"])
        #expect(pipeline.components.map(\.inputs) == [[], [0], [1], [1], [2, 3], [4]])
        #expect(pipeline.components[1].options.string("quality") == "high")
        #expect(pipeline.components[3].capacity == EdgeCapacity(maxPackets: 3, maxSeconds: 0.5))
        #expect(pipeline.components[2].capacity == .standard)
    }

    @Test func overridesReplaceOptionsAndAreTypeChecked() throws {
        let yaml = """
            input: { type: audio }
            stages:
              - { id: resample, type: audio.resample, sample_rate_hz: 16000 }
            output: { type: audio }
            """
        let pipeline = try validator.validate(
            yaml: yaml, file: "p.yaml",
            overrides: [
                try Override.parse("resample.sample_rate_hz=8000"),
                Override(target: "output", option: "path", value: "123", origin: "-o 123"),
            ])
        #expect(pipeline.components[1].options.integer("sample_rate_hz") == 8000)
        #expect(pipeline.components[2].options.string("path") == "123")
        #expect(
            diagnostics(yaml, overrides: [try Override.parse("resample.sample_rate_hz=fast")])
                == ["--set resample.sample_rate_hz=fast: error: stage 'resample': option 'sample_rate_hz' must be a single integer value, got 'fast'"]
        )
    }

    @Test func overrideSyntax() throws {
        #expect(try Override.parse("asr.step_ms=500") == Override(target: "asr", option: "step_ms", value: "500", origin: "asr.step_ms=500"))
        #expect(try Override.parse("a.b=x=y").value == "x=y")
        #expect(throws: OverrideSyntaxError.self) { try Override.parse("step_ms=500") }
        #expect(throws: OverrideSyntaxError.self) { try Override.parse("asr.step_ms") }
        #expect(throws: OverrideSyntaxError.self) { try Override.parse(".x=1") }
    }

    @Test func graphErrors() {
        #expect(
            diagnostics(
                """
                input: { type: audio }
                stages:
                  - { id: a, type: audio.gain, gain_db: 1, inputs: [b] }
                  - { id: b, type: audio.gain, gain_db: 1 }
                output: { type: audio }
                """) == ["p.yaml:3:53: error: stage 'a': input 'b' is defined later; list a stage after its inputs"])
        #expect(
            diagnostics(
                """
                input: { type: audio }
                stages:
                  - { id: m, type: audio.mix }
                output: { type: audio }
                """) == ["p.yaml:3:5: error: stage 'm': takes 2 to 8 inputs, got 1"])
        #expect(
            diagnostics(
                """
                input: { type: audio }
                stages:
                  - { id: output, type: audio.gain, gain_db: 1 }
                output: { type: audio }
                """) == ["p.yaml:3:11: error: stage id 'output' is reserved for the pipeline's output section"])
    }

    @Test func sinkFormatMismatchSuggestsNothingItCannot() {
        #expect(
            diagnostics(
                """
                input: { type: audio }
                stages:
                  - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
                  - { id: mel, type: whisper.log_mel }
                output: { type: audio }
                """) == ["p.yaml:5:9: error: 'output': needs audio, gets features (log_mel, 80 dims, 100 frames/s) from 'mel'"])
    }

    @Test func structuralErrors() {
        #expect(diagnostics("[1, 2]") == ["p.yaml:1:1: error: a pipeline file is a mapping with 'input', 'stages' and 'output'"])
        #expect(diagnostics("input: { type: audio }\n") == ["p.yaml:1:1: error: missing 'output' section"])
        #expect(
            diagnostics(
                """
                input: { type: audio }
                stages:
                  - { type: audio.gain, gain_db: 1 }
                output: { type: audio }
                """) == ["p.yaml:3:5: error: stage 1: missing 'id'"])
        #expect(
            diagnostics(
                """
                input: { type: audio }
                output: { type: audio, path: a.wav, path: b.wav }
                """
            ).first?.contains("duplicate key 'path'") == true)
    }
}
