/// The settings of a type that has one option: its value.
public struct SingleOption<Value: Sendable>: Sendable {
    public var value: Value

    public init(_ value: Value) { self.value = value }
}

/// The `path` option of inputs and outputs that have no other.
public enum PathOption {
    /// A file, or - for stdin.
    public static let input = OptionTable(defaults: SingleOption("-"), [.string("path", \.value, help: "file path, or - for stdin")])
    /// A file, or - for stdout.
    public static let output = OptionTable(defaults: SingleOption("-"), [.string("path", \.value, help: "file path, or - for stdout")])
}
