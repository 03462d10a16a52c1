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

/// A float16 tensor as stored in a model file: a shape and row-major IEEE half bit patterns.
public struct HalfTensor: Sendable {
    public var shape: [Int]
    public var values: [UInt16]

    public init(shape: [Int], values: [UInt16]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// Row `index` of a 2-D tensor, widened to float32.
    public func row(_ index: Int) -> [Float] {
        let width = shape[1]
        return values[(index * width)..<((index + 1) * width)].map(Half.toFloat)
    }
}

/// A matrix stored as float32, or as float16 when the source was float16 (exact when widened).
public enum WeightMatrix: Sendable {
    case float32(Tensor)
    case float16(HalfTensor)

    public var shape: [Int] {
        switch self {
        case .float32(let tensor): tensor.shape
        case .float16(let tensor): tensor.shape
        }
    }

    /// Row `index`, as float32.
    public func row(_ index: Int) -> [Float] {
        switch self {
        case .float32(let tensor): Array(tensor.values[(index * shape[1])..<((index + 1) * shape[1])])
        case .float16(let tensor): tensor.row(index)
        }
    }
}

/// A model file could not be read; one line naming the file, variable and byte offset.
public struct ModelFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
