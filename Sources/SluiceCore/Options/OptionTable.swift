/// A type's options, each bound to the field of `Settings` it sets.
///
/// The one place an option's key, type, range, unit, default and help are written: the validator checks
/// `specs`, `sluice stages --describe` and the CLI read them, and the stage builds its settings with
/// `settings(_:)`. A key that sets no field cannot be declared. Defaults are the fields' values in `defaults`.
public struct OptionTable<Settings: Sendable>: Sendable {
    /// The declarations, in order, for validation and help.
    public let specs: [OptionSpec]
    private let bindings: [OptionBinding<Settings>]
    private let defaults: Settings

    public init(defaults: Settings, _ bindings: [OptionBinding<Settings>]) {
        self.defaults = defaults
        self.bindings = bindings
        specs = bindings.map { $0.spec(defaults) }
        precondition(Set(specs.map(\.name)).count == specs.count, "an option is declared twice")
    }

    /// The settings the (validated) values describe: each value set on its field, other fields at their defaults.
    public func settings(_ values: OptionValues) -> Settings {
        var settings = defaults
        for binding in bindings {
            if let value = values[binding.name] { binding.assign(&settings, value) }
        }
        return settings
    }

    /// The declaration of one key.
    public func spec(_ name: String) -> OptionSpec? { specs.first { $0.name == name } }
}

/// One option: its declaration and how its value sets a field of `Settings`.
public struct OptionBinding<Settings>: Sendable {
    let name: String
    let spec: @Sendable (Settings) -> OptionSpec
    let assign: @Sendable (inout Settings, OptionValue) -> Void
}

/// Who an option is for: the knobs every user meets, or tuning knobs with measured defaults.
public enum OptionAudience: Sendable {
    case everyone, tuning
}

extension OptionBinding {
    public typealias Field<Value> = any WritableKeyPath<Settings, Value> & Sendable

    private static func bind<Value>(
        _ name: String, _ kind: OptionSpec.Kind, _ field: Field<Value>, required: Bool = false, optional: Bool = false,
        _ audience: OptionAudience, help: String, encode: @escaping @Sendable (Value) -> OptionValue?,
        decode: @escaping @Sendable (OptionValue) -> Value
    ) -> Self {
        OptionBinding(
            name: name,
            spec: { defaults in
                OptionSpec(
                    name, kind, default: required ? nil : encode(defaults[keyPath: field]), optional: optional,
                    tuning: audience == .tuning, help: help)
            },
            assign: { settings, value in settings[keyPath: field] = decode(value) })
    }

    /// An integer in `range`; `required` when the pipeline must set it.
    public static func integer(
        _ name: String, _ field: Field<Int>, in range: ClosedRange<Int>, required: Bool = false,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(name, .integer(range), field, required: required, audience, help: help, encode: { .integer($0) }, decode: { $0.integerValue })
    }

    /// An integer in `range` whose absence means "derive it" (nil).
    public static func integer(
        _ name: String, _ field: Field<Int?>, in range: ClosedRange<Int>,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(name, .integer(range), field, optional: true, audience, help: help, encode: { $0.map(OptionValue.integer) }, decode: { $0.integerValue })
    }

    /// A number in `range` (integers are accepted).
    public static func number(
        _ name: String, _ field: Field<Double>, in range: ClosedRange<Double>, required: Bool = false,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(name, .number(range), field, required: required, audience, help: help, encode: { .number($0) }, decode: { $0.numberValue })
    }

    /// A duration: whole milliseconds in YAML (`…_ms`, the one unit of durations), seconds in the field.
    public static func milliseconds(
        _ name: String, _ field: Field<Double>, in range: ClosedRange<Int>,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        precondition(name.hasSuffix("_ms"), "durations are declared in milliseconds: \(name)")
        return bind(
            name, .integer(range), field, audience, help: help,
            encode: milliseconds(seconds:), decode: seconds(milliseconds:))
    }

    /// A duration whose absence means "derive it" (nil).
    public static func milliseconds(
        _ name: String, _ field: Field<Double?>, in range: ClosedRange<Int>,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        precondition(name.hasSuffix("_ms"), "durations are declared in milliseconds: \(name)")
        return bind(
            name, .integer(range), field, optional: true, audience, help: help,
            encode: { $0.map(milliseconds(seconds:)) }, decode: seconds(milliseconds:))
    }

    /// A duration's YAML value: seconds as whole milliseconds.
    private static func milliseconds(seconds: Double) -> OptionValue { .integer(Int((seconds * 1000).rounded())) }

    /// A duration's field value: whole milliseconds as seconds.
    private static func seconds(milliseconds value: OptionValue) -> Double { Double(value.integerValue) / 1000 }

    public static func boolean(_ name: String, _ field: Field<Bool>, _ audience: OptionAudience = .everyone, help: String) -> Self {
        bind(name, .boolean, field, audience, help: help, encode: { .boolean($0) }, decode: { $0.booleanValue })
    }

    /// A switch for an optional part: true sets the field to `enabled`, false to nil.
    public static func toggle<Value: Sendable>(
        _ name: String, _ field: Field<Value?>, enabled: Value,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(name, .boolean, field, audience, help: help, encode: { .boolean($0 != nil) }, decode: { $0.booleanValue ? enabled : nil })
    }

    /// A string; `required` when the pipeline must set it.
    public static func string(
        _ name: String, _ field: Field<String>, required: Bool = false,
        _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(name, .string, field, required: required, audience, help: help, encode: { .string($0) }, decode: { $0.stringValue })
    }

    /// A string whose absence means "derive it" (nil).
    public static func string(_ name: String, _ field: Field<String?>, _ audience: OptionAudience = .everyone, help: String) -> Self {
        bind(name, .string, field, optional: true, audience, help: help, encode: { $0.map(OptionValue.string) }, decode: { $0.stringValue })
    }

    /// One of an enumeration's raw values.
    public static func choice<Value: RawRepresentable<String> & CaseIterable & Sendable>(
        _ name: String, _ field: Field<Value>, _ audience: OptionAudience = .everyone, help: String
    ) -> Self {
        bind(
            name, .choice(Value.allCases.map(\.rawValue)), field, audience, help: help,
            encode: { .string($0.rawValue) }, decode: { Value(rawValue: $0.stringValue)! })
    }
}

extension OptionValue {
    /// The value as the type validation guaranteed (a mismatch is a programming error in a declaration).
    var integerValue: Int {
        guard case .integer(let value) = self else { preconditionFailure("\(typeDescription) is not an integer") }
        return value
    }

    var numberValue: Double {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: preconditionFailure("\(typeDescription) is not a number")
        }
    }

    var stringValue: String {
        guard case .string(let value) = self else { preconditionFailure("\(typeDescription) is not a string") }
        return value
    }

    var booleanValue: Bool {
        guard case .boolean(let value) = self else { preconditionFailure("\(typeDescription) is not a boolean") }
        return value
    }
}
