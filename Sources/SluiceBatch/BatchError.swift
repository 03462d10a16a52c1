/// A batch problem (a bad shard, a missing input, a manifest that cannot be written), saying what
/// and where.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
