/// A small JSON writer that keeps keys in the order given and numbers at a fixed precision, so that output
/// is byte-for-byte stable.
public indirect enum JSONText: Sendable {
    case null
    case string(String)
    case integer(Int)
    /// A number rounded (half to even) to at most `decimals` places, in its shortest form (`1.5`, `2.0`);
    /// infinities and NaN, which JSON lacks, are `null`.
    case number(Double, decimals: Int)
    case array([JSONText])
    case object([(key: String, value: JSONText)])

    /// The compact JSON text: no spaces, non-ASCII characters kept as UTF-8.
    public var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .string(let text): Self.writeString(text, to: &output)
        case .integer(let value): output += String(value)
        case .number(let value, let decimals):
            guard value.isFinite else {
                output += "null"
                return
            }
            let scale = Double.pow10(decimals)
            output += "\((value * scale).rounded(.toNearestOrEven) / scale + 0.0)"  // + 0.0 turns -0.0 into 0.0
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// A JSON string: quote, backslash and control characters escaped, everything else as is.
    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension Double {
    fileprivate static func pow10(_ exponent: Int) -> Double { (0..<exponent).reduce(1) { value, _ in value * 10 } }
}
