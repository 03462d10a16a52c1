import Foundation

/// Reads safetensors files: a little-endian u64 header length, a JSON header of
/// `name: {dtype, shape, data_offsets}` (offsets relative to the end of the header), then raw little-endian data.
public enum Safetensors {
    /// All tensors of the file at `path` by name, as float32 (F32 as stored; F16, F64, I32, I64 converted).
    public static func load(path: String) throws -> [String: Tensor] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelFileError("\(path): cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// The tensors of a safetensors image in memory; `path` names it in errors.
    public static func parse(_ data: Data, path: String) throws -> [String: Tensor] {
        guard data.count >= 8 else { throw ModelFileError("\(path): truncated safetensors file (\(data.count) bytes)") }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength > 0, headerLength <= UInt64(data.count - 8) else {
            throw ModelFileError("\(path): safetensors header length \(headerLength) exceeds the file (\(data.count) bytes)")
        }
        let body = 8 + Int(headerLength)
        guard let entries = (try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<body))) as? [String: Any] else {
            throw ModelFileError("\(path): safetensors header at byte 8 is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        for (name, entry) in entries where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                shape.allSatisfy({ $0 >= 0 })
            else { throw ModelFileError("\(path): tensor '\(name)': malformed header entry") }
            guard let width = elementWidth[dtype] else {
                throw ModelFileError("\(path): tensor '\(name)': unsupported dtype \(dtype) (reads \(elementWidth.keys.sorted()))")
            }
            let count = shape.reduce(1, *)
            guard offsets[0] >= 0, offsets[1] - offsets[0] == count * width, body + offsets[1] <= data.count else {
                throw ModelFileError("\(path): tensor '\(name)': data offsets \(offsets) do not fit \(shape) \(dtype) in \(data.count) bytes")
            }
            let start = body + offsets[0]
            let values = data.withUnsafeBytes { raw in
                (0..<count).map { index in element(raw, at: start + index * width, dtype: dtype) }
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        return tensors
    }

    private static let elementWidth = ["F32": 4, "F16": 2, "F64": 8, "I32": 4, "I64": 8]

    private static func element(_ raw: UnsafeRawBufferPointer, at offset: Int, dtype: String) -> Float {
        switch dtype {
        case "F32": Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case "F16": Half.toFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case "F64": Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case "I32": Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        default: Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        }
    }
}
