import Foundation

/// One line of series input: its 1-based line number and its text, nil when its bytes are not UTF-8.
public struct InputLine: Sendable {
    public var number: Int
    public var text: String?

    /// The text, or an error naming the line when its bytes are not UTF-8.
    public func validText() throws -> String {
        guard let text else { throw SeriesInputError(row: number, message: "the line is not UTF-8 text") }
        return text
    }
}

/// Reads text lines from a file descriptor as they arrive: each `next` call waits for input and returns the
/// complete lines one `read(2)` made available (a pipe's writer sets the pace, not a buffer size).
///
/// A line longer than `SeriesLimits.maxLineBytes` is an error as soon as that many bytes have arrived without a
/// line end, so memory stays bounded; each byte is searched for a line end once, so time stays linear.
/// Waits use `poll()` in 100 ms slices so that `requestStop()` ends the stream promptly while the writer is
/// idle (`tail -f`).
public final class LineReader: @unchecked Sendable {  // `stopRequested` is guarded by `lock`; the rest is single-reader
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    public let name: String
    private var pending: [UInt8] = []
    /// Bytes at the start of `pending` already known to hold no line end.
    private var searched = 0
    /// Lines returned so far.
    private var linesRead = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    public private(set) var atEnd = false
    private let lock = NSLock()
    private var stopRequested = false

    /// Reads stdin for "-", else opens the file.
    public init(path: String) throws {
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

    /// Ends the input at the next wait; safe from any thread.
    public func requestStop() { lock.withLock { stopRequested = true } }

    /// The next complete lines (without line ends, blank ones included); empty only at end of input or after a stop.
    public func next() throws -> [InputLine] {
        while !atEnd {
            if lock.withLock({ stopRequested }) { return [] }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 && errno != EINTR {
                throw SeriesInputError(row: nil, message: "\(name): cannot wait for input: \(String(cString: strerror(errno)))")
            }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw SeriesInputError(row: nil, message: "\(name): read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                atEnd = true
                if !pending.isEmpty { pending.append(UInt8(ascii: "\n")) }
            } else {
                pending += chunk[0..<count]
            }
            guard let last = pending[searched...].lastIndex(of: UInt8(ascii: "\n")) else {
                searched = pending.count
                if pending.count > SeriesLimits.maxLineBytes { throw Self.tooLong(row: linesRead + 1) }
                continue
            }
            let lines = try Self.lines(pending[..<last], firstNumber: linesRead + 1)
            linesRead += lines.count
            pending.removeSubrange(...last)
            searched = pending.count  // what follows the last line end holds none
            return lines
        }
        return []
    }

    /// The lines of `bytes` split at LF, each without a trailing CR, numbered from `firstNumber`; a line longer than
    /// `SeriesLimits.maxLineBytes` is an error naming it.
    public static func lines(_ bytes: ArraySlice<UInt8>, firstNumber: Int = 1) throws -> [InputLine] {
        try bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated().map { index, line in
            let content = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            guard content.count <= SeriesLimits.maxLineBytes else { throw tooLong(row: firstNumber + index) }
            return InputLine(number: firstNumber + index, text: String(validating: content, as: UTF8.self))
        }
    }

    private static func tooLong(row: Int) -> SeriesInputError {
        SeriesInputError(row: row, message: "line longer than \(SeriesLimits.maxLineBytes) bytes (the limit for one row)")
    }
}
