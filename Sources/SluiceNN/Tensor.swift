/// A dense float32 tensor: a shape and row-major values.
public struct Tensor: Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// Number of values.
    public var count: Int { values.count }
}

/// A model file could not be read; one line naming the file, variable and byte offset.
public struct ModelFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
