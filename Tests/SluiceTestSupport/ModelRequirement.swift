import Foundation
import SluiceWhisper
import Testing

/// Model-backed tests: skipped with the command that installs the model when it is absent (`swift test` on a fresh
/// clone stays green), a failure instead when `SLUICE_TEST_REQUIRE_MODELS=1` (set by `Scripts/test`, which installs
/// them first, so that a test that should have run never passes as skipped).
public enum TestModels {
    /// The environment variable that turns a missing model into a failure.
    public static let requireVariable = "SLUICE_TEST_REQUIRE_MODELS"

    /// Whether missing models fail the tests that need them instead of skipping them.
    public static var required: Bool { ProcessInfo.processInfo.environment[requireVariable] == "1" }

    /// Whether the catalogue model `name` is installed in the model store the tests and `sluice` use.
    public static func installed(_ name: String) -> Bool { ModelStore().isInstalled(name) }

    /// The models of `names` that are not installed.
    static func missing(_ names: [String]) -> [String] { names.filter { !installed($0) } }

    /// What a test needing `missing` says: which models, where they were looked for, how to install them.
    static func reason(_ missing: [String]) -> String {
        "needs the Whisper model\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")), not installed in "
            + "\(ModelStore().root.path): run \(missing.map { "sluice models fetch \($0)" }.joined(separator: "; "))"
    }
}

/// The trait of a model-backed test or suite: `@Test(.needsModels("tiny.en"))`.
public struct ModelRequirement: TestTrait, SuiteTrait, TestScoping {
    /// Catalogue names of the models the test loads.
    public let names: [String]

    public var isRecursive: Bool { true }

    /// Skips when a model is missing, unless missing models are required to fail.
    public func prepare(for test: Test) async throws {
        let missing = TestModels.missing(names)
        try await ConditionTrait.enabled(if: missing.isEmpty || TestModels.required, Comment(rawValue: TestModels.reason(missing)))
            .prepare(for: test)
    }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        TestModels.missing(names).isEmpty ? nil : self
    }

    /// Reached only when a model is missing and `SLUICE_TEST_REQUIRE_MODELS=1`: a failure naming it, the test not run.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        Issue.record(
            Comment(rawValue: TestModels.reason(TestModels.missing(names)) + " (\(TestModels.requireVariable)=1)"),
            sourceLocation: test.sourceLocation)
    }
}

extension Trait where Self == ModelRequirement {
    /// A model-backed test or suite, needing the installed Whisper models `names` (catalogue names: tiny.en, base).
    public static func needsModels(_ names: String...) -> Self { ModelRequirement(names: names) }
}
