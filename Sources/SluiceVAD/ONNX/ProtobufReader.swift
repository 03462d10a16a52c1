/// Protocol Buffers' wire format, read field by field: enough of it to walk an ONNX file without generated code.
///
/// Each message is a run of (field number, wire type, payload); the reader hands back the payload of each
/// field as an integer (varint, fixed32, fixed64) or a byte range (length-delimited: strings, sub-messages,
/// packed arrays). Unknown fields are for the caller to skip; nothing is copied.
struct ProtobufReader {
    /// What a field holds on the wire.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(Range<Int>)
    }

    let buffer: [UInt8]
    private(set) var position: Int
    let end: Int

    /// A reader over `range` of `buffer` (one message).
    init(_ buffer: [UInt8], range: Range<Int>? = nil) {
        self.buffer = buffer
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? buffer.count
    }

    /// The next field (number and value), or nil at the end of the message.
    mutating func next() throws(ONNXError) -> (field: Int, value: Value)? {
        guard position < end else { return nil }
        let start = position
        let key = try varint()
        let field = Int(key >> 3)
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(try fixed(8)))
        case 5: return (field, .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try varint()
            guard length <= UInt64(end - position) else { throw ONNXError("a field at byte \(start) runs past its message (\(length) bytes)") }
            let range = position..<(position + Int(length))
            position += Int(length)
            return (field, .bytes(range))
        case let wire: throw ONNXError("unsupported wire type \(wire) at byte \(start)")
        }
    }

    private mutating func varint() throws(ONNXError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = buffer[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw ONNXError("a varint at byte \(position) is truncated")
    }

    private mutating func fixed(_ count: Int) throws(ONNXError) -> UInt64 {
        guard end - position >= count else { throw ONNXError("a fixed-width field at byte \(position) is truncated") }
        var result: UInt64 = 0
        for i in 0..<count { result |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += count
        return result
    }

    /// The varints of a packed repeated field (or of one unpacked element, given as `.varint`).
    func varints(_ value: Value) throws(ONNXError) -> [UInt64] {
        switch value {
        case .varint(let v): return [v]
        case .bytes(let range):
            var reader = ProtobufReader(buffer, range: range)
            var values: [UInt64] = []
            while reader.position < reader.end { values.append(try reader.varint()) }
            return values
        default: throw ONNXError("expected varints")
        }
    }

    /// The text of a length-delimited field.
    func string(_ value: Value) -> String {
        guard case .bytes(let range) = value else { return "" }
        return String(decoding: buffer[range], as: UTF8.self)
    }
}

/// An ONNX file could not be read or does not hold what the model needs; one line naming what and where.
public struct ONNXError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
