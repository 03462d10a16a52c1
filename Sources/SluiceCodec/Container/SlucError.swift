/// Why a `.sluc` stream was rejected: what was wrong and where (byte offset, frame).
public enum SlucError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first bytes are not `SLUC`.
    case notSluc(found: [UInt8])
    /// The stream ended before `what`, at byte `offset`.
    case truncated(offset: Int, what: String)
    /// A field or checksum is wrong at byte `offset`.
    case corrupt(offset: Int, what: String)

    public var description: String {
        switch self {
        case .notSluc(let found):
            let shown = found.map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
            return "not a .sluc file (starts with \"\(shown)\", expected \"SLUC\")"
        case .truncated(let offset, let what): return "truncated .sluc file: it ends at byte \(offset), before \(what)"
        case .corrupt(let offset, let what): return "corrupt .sluc file at byte \(offset): \(what)"
        }
    }
}
