import Foundation

/// Paths of the samples the tests read.
enum FixtureFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func sample(_ name: String) -> String { packageRoot.appendingPathComponent("Samples/\(name)").path }
}
