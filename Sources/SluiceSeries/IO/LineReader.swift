import Foundation

/// Reads text lines from a file descriptor as they arrive: each `next` call waits for input and returns the
/// complete lines one `read(2)` made available (a pipe's writer sets the pace, not a buffer size).
///
/// Waits use `poll()` in 100 ms slices so that `requestStop()` ends the stream promptly while the writer is
/// idle (`tail -f`).
final class LineReader: @unchecked Sendable {  // `stopRequested` is guarded by `lock`; the rest is single-reader
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    let name: String
    private var pending: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private(set) var atEnd = false
    private let lock = NSLock()
    private var stopRequested = false

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

    /// Ends the input at the next wait; safe from any thread.
    func requestStop() { lock.withLock { stopRequested = true } }

    /// The next complete lines (without line ends, blank ones included); empty only at end of input or after a stop.
    func next() throws -> [String] {
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
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let lines = Self.lines(pending[..<last])
            pending.removeSubrange(...last)
            return lines
        }
        return []
    }

    /// The lines of UTF-8 bytes split at LF, each without a trailing CR.
    static func lines(_ bytes: ArraySlice<UInt8>) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }
}
