/// The declaration of one option of a stage, input or output type.
///
/// One declaration drives validation, defaults, `sluice stages --describe` and the docs.
public struct OptionSpec: Sendable {
    /// The JSON-like type of an option's value and its allowed range.
    public enum Kind: Sendable, Equatable {
        case integer(ClosedRange<Int>?)
        case number(ClosedRange<Double>?)
        case string
        case boolean
        /// One of a fixed set of strings.
        case choice([String])

        /// How the type is named in messages and help.
        public var name: String {
            switch self {
            case .integer: "integer"
            case .number: "number"
            case .string: "string"
            case .boolean: "boolean"
            case .choice(let values): values.map { "'\($0)'" }.joined(separator: "|")
            }
        }
    }

    /// snake_case name with a unit suffix where it has a unit (`step_ms`, `sample_rate_hz`).
    public var name: String
    public var kind: Kind
    /// The value when the pipeline does not set one.
    public var defaultValue: OptionValue?
    /// Whether a pipeline must set it (no default and not optional).
    public var isRequired: Bool
    /// A tuning knob (measured default; listed apart from the options every user meets).
    public var isTuning: Bool
    /// One-line help.
    public var help: String

    /// Declares an option; without a default it is required unless `optional`.
    public init(
        _ name: String, _ kind: Kind, default defaultValue: OptionValue? = nil, optional: Bool = false, tuning: Bool = false,
        help: String
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isRequired = defaultValue == nil && !optional
        self.isTuning = tuning
        self.help = help
    }

    /// The value a command-line text stands for, read as this option's type (`--set id.key=text`, a CLI flag);
    /// nil when the text is not of the type. Strings take the text as it is.
    public func value(parsing text: String) -> OptionValue? {
        switch kind {
        case .integer: Int(text).map(OptionValue.integer)
        case .number: Double(text).flatMap { $0.isFinite ? OptionValue.number($0) : nil }
        case .boolean: ["true": true, "false": false][text].map(OptionValue.boolean)
        case .string, .choice: .string(text)
        }
    }

    /// Checks a value against the kind; returns the value converted to it, or a message.
    public func check(_ value: OptionValue) -> Result<OptionValue, OptionProblem> {
        switch (kind, value) {
        case (.integer(let range), .integer(let number)):
            if let range, !range.contains(number) {
                return .failure(OptionProblem("must be in \(range.lowerBound)...\(range.upperBound), got \(number)"))
            }
            return .success(value)
        case (.number, .integer(let number)):
            return check(.number(Double(number)))
        case (.number(let range), .number(let number)):
            if let range, !range.contains(number) {
                return .failure(
                    OptionProblem(
                        "must be in \(range.lowerBound.formatted(maxFractionDigits: 6))...\(range.upperBound.formatted(maxFractionDigits: 6)), got \(number.formatted(maxFractionDigits: 6))"
                    ))
            }
            return .success(value)
        case (.string, .string), (.boolean, .boolean):
            return .success(value)
        case (.choice(let values), .string(let text)):
            if values.contains(text) { return .success(value) }
            return .failure(OptionProblem("must be one of \(kind.name), got '\(text)'"))
        default:
            return .failure(OptionProblem("must be \(kind.article) \(kind.name), got \(value.typeDescription)"))
        }
    }
}

/// Why a value does not fit an option.
public struct OptionProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension OptionSpec.Kind {
    fileprivate var article: String {
        switch self {
        case .integer: "an"
        case .choice: "one of"
        default: "a"
        }
    }
}
