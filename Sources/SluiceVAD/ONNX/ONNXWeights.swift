import Foundation
import SluiceNN

/// The float32 constants of an ONNX model: the graph's initializers and the values of its `Constant` nodes,
/// those of subgraphs (an `If` node's branches, a `Loop`'s body) included, by name.
///
/// Reads ModelProto (graph = 7) → GraphProto (node = 1, initializer = 5) → TensorProto (dims = 1,
/// data_type = 2, float_data = 4, name = 8, raw_data = 9, data_location = 14) and NodeProto (input = 1, output = 2,
/// op_type = 4, attribute = 5) → AttributeProto (name = 1, t = 5, g = 6, graphs = 11), as onnx.proto numbers
/// them. Tensors of other element types (the int64 shapes of Reshape, Slice, Pad) are not kept; weights kept
/// outside the file (external data) are refused.
public struct ONNXWeights: Sendable {
    public private(set) var tensors: [String: Tensor] = [:]
    /// Every node's operator and input names, in file order: how a weight is found by the node that uses it.
    public private(set) var nodes: [Node] = []

    /// An operator and the names of its inputs (empty for an input left out).
    public struct Node: Sendable {
        public var opType: String
        public var inputs: [String]
    }

    /// Reads the model file at `path`.
    public init(path: String) throws(ONNXError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ONNXError("\(path): cannot read the file") }
        do {
            try self.init(bytes: [UInt8](data))
        } catch {
            throw ONNXError("\(path): \(error)")
        }
    }

    /// Reads a serialized ModelProto.
    public init(bytes: [UInt8]) throws(ONNXError) {
        var model = ProtobufReader(bytes)
        var foundGraph = false
        while let (field, value) = try model.next() {
            if field == 7, case .bytes(let range) = value {
                try readGraph(bytes, range)
                foundGraph = true
            }
        }
        guard foundGraph else { throw ONNXError("not an ONNX model: no graph") }
    }

    /// The tensor `name` with `shape`, or an error naming what is missing or mis-shaped.
    public func tensor(_ name: String, shape: [Int]) throws(ONNXError) -> Tensor {
        guard let tensor = tensors[name] else { throw ONNXError("the model has no float tensor '\(name)'") }
        guard tensor.shape == shape else { throw ONNXError("tensor '\(name)' has shape \(tensor.shape), expected \(shape)") }
        return tensor
    }

    private mutating func readGraph(_ bytes: [UInt8], _ range: Range<Int>) throws(ONNXError) {
        var graph = ProtobufReader(bytes, range: range)
        while let (field, value) = try graph.next() {
            guard case .bytes(let inner) = value else { continue }
            switch field {
            case 1: try readNode(bytes, inner)
            case 5: try readTensor(bytes, inner, name: nil)
            default: break
            }
        }
    }

    private mutating func readNode(_ bytes: [UInt8], _ range: Range<Int>) throws(ONNXError) {
        var node = ProtobufReader(bytes, range: range)
        var inputs: [String] = []
        var outputs: [String] = []
        var opType = ""
        var attributes: [Range<Int>] = []
        while let (field, value) = try node.next() {
            switch (field, value) {
            case (1, _): inputs.append(node.string(value))
            case (2, _): outputs.append(node.string(value))
            case (4, _): opType = node.string(value)
            case (5, .bytes(let inner)): attributes.append(inner)
            default: break
            }
        }
        nodes.append(Node(opType: opType, inputs: inputs))
        for attribute in attributes {
            var reader = ProtobufReader(bytes, range: attribute)
            var name = ""
            var tensor: Range<Int>?
            while let (field, value) = try reader.next() {
                switch (field, value) {
                case (1, _): name = reader.string(value)
                case (5, .bytes(let inner)): tensor = inner
                case (6, .bytes(let inner)), (11, .bytes(let inner)): try readGraph(bytes, inner)
                default: break
                }
            }
            if opType == "Constant", name == "value", let tensor, let output = outputs.first {
                try readTensor(bytes, tensor, name: output)
            }
        }
    }

    /// Keeps a float tensor under `name` (a Constant's output) or its own name (an initializer).
    private mutating func readTensor(_ bytes: [UInt8], _ range: Range<Int>, name given: String?) throws(ONNXError) {
        var reader = ProtobufReader(bytes, range: range)
        var dims: [Int] = []
        var dataType: UInt64 = 0
        var name = ""
        var raw: Range<Int>?
        var floats: [Float] = []
        var external = false
        while let (field, value) = try reader.next() {
            switch (field, value) {
            case (1, _): dims += try reader.varints(value).map { Int(Int64(bitPattern: $0)) }
            case (2, .varint(let type)): dataType = type
            case (4, .fixed32(let bits)): floats.append(Float(bitPattern: bits))
            case (4, .bytes(let packed)): floats += Self.littleEndianFloats(bytes[packed])
            case (8, _): name = reader.string(value)
            case (9, .bytes(let inner)): raw = inner
            case (14, .varint(let location)): external = location == 1
            default: break
            }
        }
        let key = given ?? name
        guard dataType == 1 else { return }  // FLOAT only
        if external { throw ONNXError("tensor '\(key)' keeps its data outside the file (external data is not supported)") }
        let values = raw.map { Self.littleEndianFloats(bytes[$0]) } ?? floats
        let count = dims.reduce(1, *)
        guard values.count == count else {
            throw ONNXError("tensor '\(key)' holds \(values.count) values, its shape \(dims) needs \(count)")
        }
        tensors[key] = Tensor(shape: dims, values: values)
    }

    private static func littleEndianFloats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var values = [Float](repeating: 0, count: bytes.count / 4)
        bytes.withUnsafeBytes { source in
            for i in values.indices {
                values[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
        return values
    }
}
