/// One read/write step of simultaneous translation in EAST's interleaved form: the source chunk read, then
/// the target chunk written after it. SluiceSimul's `InterleavedTranscript` is a list of them (and parses them).
public struct InterleavedStep: Sendable, Equatable {
    /// Ends a source chunk: the policy stops reading and starts writing.
    public static let endOfRead = "<|end-of-read|>"
    /// Ends a target chunk: the policy stops writing and reads on.
    public static let endOfWrite = "<|end-of-write|>"

    /// The source text read in this step, without surrounding whitespace.
    public let source: String
    /// The target text written after reading it (may be empty), without surrounding whitespace.
    public let target: String

    public init(source: String, target: String) {
        self.source = Self.trimmingWhitespace(source)
        self.target = Self.trimmingWhitespace(target)
    }

    /// Sluice's spaced form: `source <|end-of-read|> target <|end-of-write|>`, each chunk and marker separated
    /// by exactly one space, empty chunks left out.
    public var rendered: String {
        [source, Self.endOfRead, target, Self.endOfWrite].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The text without leading and trailing whitespace (Unicode `White_Space`), scalars otherwise untouched.
    public static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
