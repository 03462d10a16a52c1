import Foundation

/// Reads a CTranslate2 `model.bin` (binary version 6): named variables and aliases.
///
/// Layout: `u32 version, str spec, u32 revision, u32 count`, then per variable `str name, u8 rank,
/// u32 dims[rank], u8 dtype, u32 byte count, data`, then `u32 aliases, (str alias, str target)*`;
/// strings are a `u16` length and bytes ending in NUL. Types: 0 float32, 1 int8, 2 int16, 3 int32,
/// 4 float16, 5 bfloat16. Float variables are converted to Float32; int8 weights are dequantised
/// with their `…_scale` variable (q = round(w × scale)).
public struct CTranslate2Model: Sendable {
    /// The spec name, e.g. `WhisperSpec`.
    public var spec: String
    public var revision: Int
    /// Float tensors by name (aliases resolved).
    public var tensors: [String: Tensor]
    /// Integer scalars and small integer arrays by name (e.g. `decoder/num_heads`).
    public var integers: [String: [Int]]
    /// Float16 variables chosen by `load(path:keepingHalf:)`, kept as stored (not in `tensors`).
    public var halfTensors: [String: HalfTensor]

    /// Loads `path`; the file is memory-mapped while it is converted. Float16 variables whose names
    /// `keepingHalf` accepts stay float16 (half the memory; every value is exact when widened).
    public static func load(path: String, keepingHalf: @escaping (String) -> Bool = { _ in false }) throws -> CTranslate2Model {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelFileError("\(path): cannot read: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { bytes in
            var parser = Parser(bytes: bytes, path: path, keepingHalf: keepingHalf)
            return try parser.parse()
        }
    }
}

/// Sequential reader over the file's bytes with bounds checks.
private struct Parser {
    let bytes: UnsafeRawBufferPointer
    let path: String
    let keepingHalf: (String) -> Bool
    var offset = 0
    var variable = "header"

    init(bytes: UnsafeRawBufferPointer, path: String, keepingHalf: @escaping (String) -> Bool) {
        self.bytes = bytes
        self.path = path
        self.keepingHalf = keepingHalf
    }

    mutating func parse() throws -> CTranslate2Model {
        let version = try u32()
        guard version == 6 else {
            throw ModelFileError("\(path): unsupported CTranslate2 binary version \(version) (Sluice reads version 6)")
        }
        let spec = try string()
        let revision = Int(try u32())
        let count = Int(try u32())
        var raw: [String: (shape: [Int], type: UInt8, data: UnsafeRawBufferPointer)] = [:]
        for _ in 0..<count {
            variable = "variable after '\(variable)'"
            let name = try string()
            variable = name
            let rank = Int(try u8())
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try u32())) }
            let type = try u8()
            let size = Int(try u32())
            let elements = shape.reduce(1, *)
            guard let width = [0: 4, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2][Int(type)] else {
                throw ModelFileError("\(path): variable '\(name)' has unknown type \(type) at byte \(offset)")
            }
            guard size == elements * width else {
                throw ModelFileError("\(path): variable '\(name)' holds \(size) bytes, its shape \(shape) needs \(elements * width)")
            }
            let data = try take(size)
            if let element = Self.firstNonFinite(data, type: type) {
                throw ModelFileError(
                    "\(path): variable '\(name)' holds a non-finite value (NaN or infinity) at element \(element): the file is corrupt")
            }
            raw[name] = (shape, type, data)
        }
        variable = "aliases"
        var aliases: [(String, String)] = []
        for _ in 0..<Int(try u32()) { aliases.append((try string(), try string())) }

        var tensors: [String: Tensor] = [:]
        var integers: [String: [Int]] = [:]
        var halfTensors: [String: HalfTensor] = [:]
        for (name, entry) in raw where !name.hasSuffix("_scale") || raw[String(name.dropLast(6))] == nil {
            switch entry.type {
            case 4 where keepingHalf(name):
                let values = (0..<(entry.data.count / 2)).map {
                    UInt16(littleEndian: entry.data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))
                }
                halfTensors[name] = HalfTensor(shape: entry.shape, values: values)
            case 0, 4, 5:
                tensors[name] = Tensor(shape: entry.shape, values: Self.floats(entry.data, type: entry.type))
            case 1 where raw[name + "_scale"] != nil:
                let scale = Self.floats(raw[name + "_scale"]!.data, type: raw[name + "_scale"]!.type)
                tensors[name] = Tensor(shape: entry.shape, values: Self.dequantize(entry.data, scales: scale))
            default:
                integers[name] = Self.integers(entry.data, type: entry.type)
            }
        }
        for (alias, target) in aliases {
            if let tensor = tensors[target] {
                tensors[alias] = tensor
            } else if let half = halfTensors[target] {
                halfTensors[alias] = half
            } else {
                throw ModelFileError("\(path): alias '\(alias)' points to missing variable '\(target)'")
            }
        }
        return CTranslate2Model(spec: spec, revision: revision, tensors: tensors, integers: integers, halfTensors: halfTensors)
    }

    // MARK: - Primitives

    private mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard offset + count <= bytes.count else {
            throw ModelFileError("\(path): truncated in '\(variable)' at byte \(offset) (needs \(count) more bytes, file has \(bytes.count))")
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    private mutating func u8() throws -> UInt8 { try take(1)[0] }
    private mutating func u16() throws -> UInt16 { UInt16(littleEndian: try take(2).loadUnaligned(as: UInt16.self)) }
    private mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }

    private mutating func string() throws -> String {
        let length = Int(try u16())
        let text = try take(length)
        return String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
    }

    // MARK: - Conversion

    /// The index of the first NaN or infinite value of a float variable (all exponent bits set), if any:
    /// one such weight makes every output NaN.
    static func firstNonFinite(_ data: UnsafeRawBufferPointer, type: UInt8) -> Int? {
        switch type {
        case 0:
            return (0..<(data.count / 4)).first { data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) & 0x7F80_0000 == 0x7F80_0000 }
        case 4:
            return (0..<(data.count / 2)).first { data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self) & 0x7C00 == 0x7C00 }
        case 5:
            return (0..<(data.count / 2)).first { data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self) & 0x7F80 == 0x7F80 }
        default:
            return nil
        }
    }

    static func floats(_ data: UnsafeRawBufferPointer, type: UInt8) -> [Float] {
        switch type {
        case 0:
            return (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        case 4:
            return (0..<(data.count / 2)).map { Half.toFloat(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        default:
            return (0..<(data.count / 2)).map {
                Float(bitPattern: UInt32(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) << 16)
            }
        }
    }

    static func dequantize(_ data: UnsafeRawBufferPointer, scales: [Float]) -> [Float] {
        let rowLength = data.count / max(scales.count, 1)
        return (0..<data.count).map { Float(Int8(bitPattern: data[$0])) / scales[$0 / rowLength] }
    }

    static func integers(_ data: UnsafeRawBufferPointer, type: UInt8) -> [Int] {
        switch type {
        case 1: return data.map { Int(Int8(bitPattern: $0)) }
        case 2: return (0..<(data.count / 2)).map { Int(Int16(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) }
        default: return (0..<(data.count / 4)).map { Int(Int32(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
        }
    }
}

extension CTranslate2Model {
    /// The float variable `name`, or an error naming the file and variable.
    public func tensor(_ name: String) throws -> Tensor {
        guard let value = tensors[name] else { throw ModelFileError("model.bin: missing variable '\(name)'") }
        return value
    }

    /// The 2-D variable `name`: float16 when it was kept so, else float32.
    public func matrix(_ name: String) throws -> WeightMatrix {
        if let half = halfTensors[name] { return .float16(half) }
        return .float32(try tensor(name))
    }

    /// `scope/weight` and, when present, `scope/bias`.
    public func linear(_ scope: String) throws -> Linear {
        Linear(weight: try matrix("\(scope)/weight"), bias: tensors["\(scope)/bias"])
    }

    /// `scope/gamma` and `scope/beta`.
    public func layerNorm(_ scope: String) throws -> LayerNorm {
        LayerNorm(gamma: try tensor("\(scope)/gamma"), beta: try tensor("\(scope)/beta"))
    }
}
