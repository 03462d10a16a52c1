/// A command-line change to a pipeline: `--set id.option=value`, `-i PATH`, `-o PATH`.
public struct Override: Sendable, Equatable {
    /// The component id (`input`, `output` or a stage id).
    public var target: String
    public var option: String
    /// The value text, read as the option's declared type (`500` for an integer option, any text for a string).
    public var value: String
    /// How the user wrote it, for messages.
    public var origin: String

    public init(target: String, option: String, value: String, origin: String) {
        self.target = target
        self.option = option
        self.value = value
        self.origin = origin
    }

    /// Parses `id.option=value`.
    public static func parse(_ text: String) throws(OverrideSyntaxError) -> Override {
        guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: ".") else {
            throw OverrideSyntaxError(text: text)
        }
        let target = String(text[..<dot])
        let option = String(text[text.index(after: dot)..<equals])
        guard !target.isEmpty, !option.isEmpty else { throw OverrideSyntaxError(text: text) }
        return Override(target: target, option: option, value: String(text[text.index(after: equals)...]), origin: text)
    }
}

/// `--set` text that is not `id.option=value`.
public struct OverrideSyntaxError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { "--set '\(text)': expected ID.OPTION=VALUE, e.g. asr.step_ms=500" }
}
