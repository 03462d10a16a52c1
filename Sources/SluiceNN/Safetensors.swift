import Foundation

/// Reads a safetensors file: `u64 header length (LE)`, a JSON header of `name: {dtype, shape,
/// data_offsets}` (offsets relative to the end of the header), then the raw little-endian data.
/// F32 tensors are read as stored, F16 and F64 are converted to Float32.
public enum Safetensors {
    /// All tensors of the file at `path` by name.
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
        let headerLength = data.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard headerLength > 0, 8 + headerLength <= data.count else {
            throw ModelFileError("\(path): safetensors header length \(headerLength) exceeds the file (\(data.count) bytes)")
        }
        let header = data.subdata(in: 8..<(8 + headerLength))
        guard let entries = (try? JSONSerialization.jsonObject(with: header)) as? [String: Any] else {
            throw ModelFileError("\(path): safetensors header is not a JSON object")
        }
        let body = 8 + headerLength
        var tensors: [String: Tensor] = [:]
        for (name, entry) in entries where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw ModelFileError("\(path): tensor '\(name)': malformed header entry") }
            let count = shape.reduce(1, *)
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F16": width = 2
            case "F64": width = 8
            default: throw ModelFileError("\(path): tensor '\(name)': unsupported dtype \(dtype) (F32, F16, F64 are read)")
            }
            let start = body + offsets[0], end = body + offsets[1]
            guard offsets[0] >= 0, end - start == count * width, end <= data.count else {
                throw ModelFileError("\(path): tensor '\(name)': data offsets \(offsets) do not fit \(shape) \(dtype)")
            }
            let values: [Float] = data.withUnsafeBytes { raw in
                (0..<count).map { index in
                    let at = start + index * width
                    switch width {
                    case 4: return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                    case 8: return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))))
                    default: return Half.toFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                    }
                }
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        return tensors
    }
}
