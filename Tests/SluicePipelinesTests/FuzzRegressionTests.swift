import Foundation
import SluiceCore
import SluicePipelines
import Testing

/// Inputs that once hung or crashed the pipeline loader (found by `Scripts/fuzz` or written against its findings):
/// each must now be refused with a diagnostic, promptly.
@Suite struct FuzzRegressionTests {
    let validator = PipelineValidator(registry: .standard)

    /// Nine levels of anchors, each aliasing the previous ten times: 10^9 nodes once expanded.
    static let nestedAnchors =
        (["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + (1...8).map { level in "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]" })
        .joined(separator: "\n")

    func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try validator.validate(yaml: yaml, file: "p.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(arguments: ["? *a8\n: 1\n", "? [*a8, *a8]\n: 1\n", "*a8 : 1\n", "input: {type: audio, gain: *a8}\n"])
    func aliasesThatExpandPastTheBudgetAreRefusedAtTheAlias(_ use: String) {
        let started = ContinuousClock.now
        let found = diagnostics(Self.nestedAnchors + "\n" + use)
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(found.count == 1)
        #expect(found.first?.contains("YAML aliases expand the file past 100000 nodes here") == true)
        // The anchors alone cross the budget, at the tenth alias of a4 (111 110 nodes), before any use.
        #expect(found.first?.hasPrefix("p.yaml:5:") == true)
    }

    @Test func aliasesWithinTheBudgetStillWork() throws {
        let pipeline = try validator.validate(
            yaml: """
                input: &audio { type: audio, path: a.wav }
                stages:
                  - { id: gain, type: audio.gain, gain_db: &db -6, inputs: input }
                  - { id: again, type: audio.gain, gain_db: *db, inputs: gain }
                output: { type: audio, path: out.wav, inputs: again }
                """, file: "p.yaml")
        #expect(pipeline.components.map(\.id) == ["input", "gain", "again", "output"])
        #expect(pipeline.components[2].options.number("gain_db") == -6)
    }
}
