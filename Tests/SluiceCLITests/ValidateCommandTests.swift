import Foundation
import SluiceTestSupport
import Testing

/// `sluice validate` on the bad-config fixtures: exact messages with line and column, exit 78.
@Suite struct ValidateCommandTests {
    static let fixtures = "Tests/SluicePipelinesTests/Fixtures/bad"

    @Test(arguments: [
        (
            "unknown-option.yaml",
            "unknown-option.yaml:6:5: error: stage 'mel': unknown option 'n_mel' (did you mean 'n_mels'?)"
        ),
        (
            "wrong-type.yaml",
            "wrong-type.yaml:3:59: error: stage 'resample': option 'sample_rate_hz' must be an integer, got string 'fast'"
        ),
        (
            "duplicate-id.yaml",
            "duplicate-id.yaml:4:11: error: duplicate stage id 'loud' (first defined at 3:11)"
        ),
        (
            "dangling-input.yaml",
            "dangling-input.yaml:4:48: error: stage 'mel': input 'resampel' is not defined (did you mean 'resample'?)"
        ),
        (
            "format-mismatch.yaml",
            "format-mismatch.yaml:3:5: error: stage 'mel': needs audio (16000 Hz, mono), gets audio (any rate, any channels) from 'input'; insert a converter before it: { type: audio.resample, sample_rate_hz: 16000, channels: 1 }"
        ),
        (
            "unknown-type.yaml",
            "unknown-type.yaml:3:27: error: stage 'resample': unknown stage type 'audio.resampel' (did you mean 'audio.resample'?)"
        ),
        (
            "bad-yaml.yaml",
            "bad-yaml.yaml:2:7: error: invalid YAML: while parsing a flow mapping did not find expected ',' or '}'"
        ),
        (
            "unknown-key.yaml",
            "unknown-key.yaml:2:1: error: unknown key 'stagse' (did you mean 'stages'?)"
        ),
        (
            "missing-option.yaml",
            "missing-option.yaml:3:5: error: stage 'resample': missing option 'sample_rate_hz' (output sample rate)"
        ),
        (
            "out-of-range.yaml",
            "out-of-range.yaml:3:76: error: stage 'resample': option 'channels' must be in 1...64, got 0"
        ),
        (
            "raw-without-rate.yaml",
            "raw-without-rate.yaml:1:8: error: 'input': raw PCM (format: s16le) needs 'sample_rate_hz'"
        ),
        (
            "unused-output.yaml",
            "unused-output.yaml:4:5: error: stage 'quiet': its output is not used by any stage or the output"
        ),
    ])
    func badConfigPrintsPinnedMessage(file: String, expected: String) throws {
        let result = try SluiceProcess.run(["validate", "\(Self.fixtures)/\(file)"])
        #expect(result.status == 78)
        #expect(result.stderr == "\(Self.fixtures)/\(expected)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func everyProblemInAFileIsReported() throws {
        let result = try SluiceProcess.run(["validate", "\(Self.fixtures)/multiple-errors.yaml"])
        #expect(result.status == 78)
        let path = "\(Self.fixtures)/multiple-errors.yaml"
        #expect(
            result.stderr == """
                \(path):1:23: error: 'input': unknown option 'pth' (did you mean 'path'?)
                \(path):3:79: error: stage 'resample': unknown option 'qualty' (did you mean 'quality'?)
                \(path):4:5: error: stage 'mix': takes 2 to 8 inputs, got 1
                \(path):4:39: error: stage 'mix': option 'mode' must be one of 'average'|'sum', got 'loudest'

                """)
    }

    @Test(.needsModels("tiny.en", "base")) func shippedPipelinesAreValid() throws {
        let pipelines = try FileManager.default.contentsOfDirectory(
            atPath: SluiceProcess.packageRoot.appendingPathComponent("Pipelines").path
        ).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(pipelines.count >= 2)
        let result = try SluiceProcess.run(["validate"] + pipelines.map { "Pipelines/\($0)" })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == pipelines.map { "Pipelines/\($0): ok\n" }.joined())
    }

    @Test func missingFileIsAConfigurationError() throws {
        let result = try SluiceProcess.run(["validate", "nope.yaml"])
        #expect(result.status == 78)
        #expect(result.stderr == "nope.yaml:1:1: error: no such file\n")
    }
}
