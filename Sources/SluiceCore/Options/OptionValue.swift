/// A typed option value from a pipeline file or `--set`.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case string(String)
    case boolean(Bool)

    /// How the value's type is named in messages ("integer 3", "string 'x'").
    public var typeDescription: String {
        switch self {
        case .integer(let value): "integer \(value)"
        case .number(let value): "number \(value.formatted(maxFractionDigits: 6))"
        case .string(let value): "string '\(value)'"
        case .boolean(let value): "boolean \(value)"
        }
    }

    public var description: String {
        switch self {
        case .integer(let value): "\(value)"
        case .number(let value): value.formatted(maxFractionDigits: 6)
        case .string(let value): value
        case .boolean(let value): "\(value)"
        }
    }
}

/// The checked options of one stage, with defaults filled in.
///
/// Accessors trap on a name the stage did not declare or a value of the wrong type: validation
/// guarantees both, so a trap is a programming error in the stage.
public struct OptionValues: Sendable {
    private var values: [String: OptionValue]

    public init(_ values: [String: OptionValue]) {
        self.values = values
    }

    /// These values with `name` set to `value`: a per-use override (a stream's client naming its language)
    /// that the caller has checked as validation would.
    public func setting(_ name: String, to value: OptionValue) -> OptionValues {
        var copy = self
        copy.values[name] = value
        return copy
    }

    /// Whether the option has a value (set, or by default).
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// The value of an option, set or by default.
    public subscript(name: String) -> OptionValue? { values[name] }

    public func integer(_ name: String) -> Int {
        guard case .integer(let value)? = values[name] else { preconditionFailure("option '\(name)' is not an integer") }
        return value
    }

    public func number(_ name: String) -> Double {
        switch values[name] {
        case .number(let value)?: return value
        case .integer(let value)?: return Double(value)
        default: preconditionFailure("option '\(name)' is not a number")
        }
    }

    public func string(_ name: String) -> String {
        guard case .string(let value)? = values[name] else { preconditionFailure("option '\(name)' is not a string") }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        guard case .string(let value)? = values[name] else { return nil }
        return value
    }

    public func boolean(_ name: String) -> Bool {
        guard case .boolean(let value)? = values[name] else { preconditionFailure("option '\(name)' is not a boolean") }
        return value
    }
}
