/// One configuration error, printed compiler-style: `FILE:LINE:COL: error: MESSAGE`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Where the error is: a place in a pipeline file, or a command-line override.
    public enum Location: Sendable, Equatable {
        case file(path: String, line: Int, column: Int)
        case override(String)
    }

    public var location: Location
    public var message: String

    public init(_ location: Location, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        switch location {
        case .file(let path, let line, let column): "\(path):\(line):\(column): error: \(message)"
        case .override(let text): "--set \(text): error: \(message)"
        }
    }
}

/// A pipeline could not be accepted: every problem found, in file order.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    /// The most problems reported one by one; past it a last line counts the rest (a broken generated file
    /// must not print millions of lines).
    public static let reportLimit = 50

    public init(_ diagnostics: [Diagnostic]) {
        guard diagnostics.count > Self.reportLimit else {
            self.diagnostics = diagnostics
            return
        }
        let rest = diagnostics[Self.reportLimit]
        self.diagnostics =
            Array(diagnostics.prefix(Self.reportLimit))
            + [Diagnostic(rest.location, "\(diagnostics.count - Self.reportLimit) more errors not shown")]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
