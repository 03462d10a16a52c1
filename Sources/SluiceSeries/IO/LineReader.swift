import Foundation

/// Reads text lines from a file descriptor as they arrive: each `next` call blocks for one `read(2)` and
/// returns the complete lines it made available (a pipe's writer sets the pace, not a buffer size).
final class LineReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    let name: String
    private var pending: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private(set) var atEnd = false

    /// Reads stdin for "-", else opens the file.
    init(path: String) throws {
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            name = "stdin"
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw SeriesInputError(row: nil, message: "\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            ownsDescriptor = true
            name = path
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The next complete lines (without line ends; blank lines dropped); empty only at end of input.
    func next() throws -> [String] {
        while !atEnd {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SeriesInputError(row: nil, message: "\(name): read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                atEnd = true
                if !pending.isEmpty { pending.append(UInt8(ascii: "\n")) }
            } else {
                pending += chunk[0..<count]
            }
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let text = String(decoding: pending[...last], as: UTF8.self)
            pending.removeSubrange(...last)
            let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
            if !lines.isEmpty { return lines }
        }
        return []
    }
}
