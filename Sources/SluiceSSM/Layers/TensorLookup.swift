import SluiceNN

/// Named weights of one module: `tensors["prefix.name"]`, with shape checks that name the missing tensor.
public struct TensorLookup: Sendable {
    public let tensors: [String: Tensor]
    public let prefix: String

    public init(_ tensors: [String: Tensor], prefix: String = "") {
        self.tensors = tensors
        self.prefix = prefix
    }

    /// The lookup for a submodule (`prefix.child.`).
    public func child(_ name: String) -> TensorLookup { TensorLookup(tensors, prefix: prefix + name + ".") }

    /// The tensor `prefix + name`, whose values count must equal the product of `shape`.
    public func callAsFunction(_ name: String, _ shape: Int...) throws -> Tensor {
        guard let tensor = tensors[prefix + name] else { throw ModelFileError("missing tensor '\(prefix + name)'") }
        guard tensor.count == shape.reduce(1, *) else {
            throw ModelFileError("tensor '\(prefix + name)' has shape \(tensor.shape), expected \(shape)")
        }
        return Tensor(shape: shape, values: tensor.values)
    }

    /// The shape of `prefix + name`.
    public func shape(_ name: String) throws -> [Int] {
        guard let tensor = tensors[prefix + name] else { throw ModelFileError("missing tensor '\(prefix + name)'") }
        return tensor.shape
    }
}
