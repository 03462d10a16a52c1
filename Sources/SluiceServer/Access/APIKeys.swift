import Foundation

/// The API keys a server accepts; with none, every request is let in.
///
/// Keys are compared in constant time (every byte of every key is looked at, whatever matches), so the time an
/// answer takes tells nothing about how much of a guess was right.
public struct APIKeys: Sendable, Equatable {
    public let keys: [[UInt8]]

    public init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// Whether keys are required.
    public var isEnabled: Bool { !keys.isEmpty }

    /// Whether `candidate` is one of the keys.
    func accepts(_ candidate: some StringProtocol) -> Bool {
        let given = Array(candidate.utf8)
        var found = false
        for key in keys { found = Self.equal(key, given) || found }
        return found
    }

    /// Whether `a` and `b` are equal, in a time that depends only on their lengths.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    /// Keys from a file's text: one a line; blank lines and `#` comments (whole lines or after a key) are skipped.
    public static func parse(file text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let key = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
            return key.isEmpty ? nil : key
        }
    }

    /// Keys from `SLUICE_API_KEYS`: comma-separated, spaces around each trimmed.
    public static func parse(environment value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
