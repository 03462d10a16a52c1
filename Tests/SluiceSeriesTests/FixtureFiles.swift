import Foundation

/// Paths of the test fixtures and samples.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = root.deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/\(name)").path }
    static func sample(_ name: String) -> String { packageRoot.appendingPathComponent("Samples/\(name)").path }
}
