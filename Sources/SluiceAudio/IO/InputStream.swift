import Foundation

/// Bytes from a file descriptor (stdin, a pipe, a socket), read as they arrive, never all at once.
///
/// - Reads wait with `poll()` in short slices so that `requestStop()` ends the stream promptly even
///   when the writer is idle.
/// - Keeps the last `historyLimit` bytes so that a decoder may seek back a little (libsndfile rereads
///   headers); seeking forward reads and discards.
final class InputStream: @unchecked Sendable {  // `stopRequested` is guarded by `lock`; the rest is single-reader
    let descriptor: Int32
    let name: String
    private let historyLimit: Int
    private var history: [UInt8] = []
    /// Stream offset of `history[0]`.
    private var historyStart: Int64 = 0
    /// Current read offset in the stream.
    private(set) var position: Int64 = 0
    private(set) var reachedEnd = false
    private let lock = NSLock()
    private var stopRequested = false

    init(descriptor: Int32, name: String, historyLimit: Int = 1 << 20) {
        self.descriptor = descriptor
        self.name = name
        self.historyLimit = historyLimit
    }

    /// Bytes received so far.
    var received: Int64 { historyStart + Int64(history.count) }

    func requestStop() { lock.withLock { stopRequested = true } }

    private var isStopping: Bool { lock.withLock { stopRequested } }

    /// Copies up to `count` bytes to `destination`; returns 0 only at end of stream (or after a stop).
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if position == received {
            guard try fill(minimum: 1) else { return 0 }
        }
        let offset = Int(position - historyStart)
        let available = min(count, history.count - offset)
        history.withUnsafeBytes { bytes in
            destination.copyMemory(from: bytes.baseAddress! + offset, byteCount: available)
        }
        position += Int64(available)
        trimHistory()
        return available
    }

    /// Moves the read offset; fails for offsets before the kept history or more than the history
    /// limit ahead (a decoder skipping over a stream's endless data chunk must not read it all).
    func seek(to target: Int64) throws -> Bool {
        guard target >= historyStart, target <= received + Int64(historyLimit) else { return false }
        while target > received {
            guard try fill(minimum: Int(min(target - received, 1 << 16))) else { return false }
        }
        position = target
        return true
    }

    /// Reads ahead what arrives within `waiting` of the first byte, up to `limit` bytes in all, so that a short
    /// input that arrives whole (a piped file) is known to end before a decoder looks at it.
    func prefetch(upTo limit: Int, waiting: Duration) throws {
        guard received < limit, try fill(minimum: 1) else { return }
        let deadline = ContinuousClock.now + waiting
        while received < limit, !reachedEnd, !isStopping, ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(1, ((deadline - ContinuousClock.now) / .milliseconds(1)).rounded(.up)))
            guard poll(&poller, 1, wait) > 0 else { continue }
            guard try fill(minimum: 1) else { return }
        }
    }

    /// Appends at least `minimum` bytes (or what is left) to the history; false at end of stream.
    private func fill(minimum: Int) throws -> Bool {
        var gained = 0
        var chunk = [UInt8](repeating: 0, count: max(minimum, 1 << 16))
        while gained < minimum {
            if reachedEnd || isStopping { return gained > 0 }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                throw AudioError("\(name): cannot wait for input: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw AudioError("\(name): read failed at byte \(received): \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                reachedEnd = true
                return gained > 0
            }
            history.append(contentsOf: chunk[0..<count])
            gained += count
        }
        return true
    }

    /// Drops history older than `historyLimit` behind the read offset.
    private func trimHistory() {
        let behind = Int(position - historyStart)
        if behind > historyLimit * 2 {
            let drop = behind - historyLimit
            history.removeFirst(drop)
            historyStart += Int64(drop)
        }
    }
}
