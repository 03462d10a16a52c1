import Foundation
import SluiceTestSupport

/// A small blocking WebSocket client (RFC 6455) over a POSIX socket, for end-to-end tests of `sluice serve`:
/// the test decides exactly when it writes, reads or drops the connection. One thread uses it at a time.
final class WebSocketTestClient: @unchecked Sendable {
    /// A message from the server.
    enum Message: Equatable {
        case text(String)
        case binary([UInt8])
        /// The server's close frame: its status code (1005 when it sent none) and reason.
        case close(code: Int, reason: String)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Int32
    private var received: [UInt8] = []
    private var closed = false
    /// Reads fail after this, even while the server keeps the connection alive with pings.
    private let deadline: Date
    /// The handshake key and frame masks: seeded, so that a run's bytes on the wire are the same every time.
    private var generator = SeededGenerator(seed: 6455)

    /// Connects to `127.0.0.1:port` and upgrades `path` (with its query string) to a WebSocket; `headers` are
    /// added to the upgrade request.
    /// - Throws: `Failure` when the connection or the upgrade (anything but 101) fails; the status line is in it.
    init(port: Int, path: String, timeout: Double = 30, headers: [String: String] = [:]) throws {
        deadline = Date().addingTimeInterval(4 * timeout)
        socket = try RawHTTPConnection.connectedSocket(port: port)
        setTimeout(SO_RCVTIMEO, seconds: timeout)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
            + headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n"
        try write(Array(request.utf8))
        while !received.containsSequence(Array("\r\n\r\n".utf8)) { try fill() }
        let end = received.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
        let head = String(decoding: received[..<end], as: UTF8.self)
        received.removeFirst(end)
        guard head.hasPrefix("HTTP/1.1 101") else {
            throw Failure(description: "upgrade refused: \(head.prefix { $0 != "\r" })")
        }
    }

    deinit { disconnect() }

    /// Closes the socket (after `abort`, with a reset).
    func disconnect() {
        guard !closed else { return }
        closed = true
        Foundation.close(socket)
    }

    /// Sets a receive (`SO_RCVTIMEO`) or send (`SO_SNDTIMEO`) timeout.
    func setTimeout(_ option: Int32, seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(socket, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func sendText(_ text: String) throws { try send(opcode: 0x1, Array(text.utf8)) }
    func sendBinary(_ bytes: [UInt8]) throws { try send(opcode: 0x2, bytes) }

    /// Sends a masked frame (clients must mask).
    func send(opcode: UInt8, _ payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case 0..<126: frame.append(0x80 | UInt8(payload.count))
        case 126...0xFFFF: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    /// The next data or close message (pings are answered; fragments joined).
    func receive() throws -> Message {
        var fragments: [UInt8] = []
        var messageOpcode: UInt8 = 0
        while true {
            let (fin, opcode, payload) = try readFrame()
            switch opcode {
            case 0x8:
                let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005
                return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
            case 0x9: try send(opcode: 0xA, payload)
            case 0xA: continue
            default:
                if opcode != 0 { messageOpcode = opcode }
                fragments += payload
                guard fin else { continue }
                return messageOpcode == 0x1 ? .text(String(decoding: fragments, as: UTF8.self)) : .binary(fragments)
            }
        }
    }

    /// Every message until the server's close frame, which is last.
    func receiveAll() throws -> [Message] {
        var messages: [Message] = []
        while true {
            let message = try receive()
            messages.append(message)
            if case .close = message { return messages }
        }
    }

    /// Drops the connection without a close frame (a client that vanishes): a send blocked in another thread
    /// fails at once, and `disconnect` then resets the connection.
    func abort() {
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        shutdown(socket, Int32(SHUT_RDWR))
    }

    private func readFrame() throws -> (fin: Bool, opcode: UInt8, payload: [UInt8]) {
        try need(2)
        let fin = received[0] & 0x80 != 0
        let opcode = received[0] & 0x0F
        var length = Int(received[1] & 0x7F)
        var offset = 2
        if length == 126 {
            try need(4)
            length = Int(received[2]) << 8 | Int(received[3])
            offset = 4
        } else if length == 127 {
            try need(10)
            length = (2..<10).reduce(0) { $0 << 8 | Int(received[$1]) }
            offset = 10
        }
        try need(offset + length)
        let payload = Array(received[offset..<(offset + length)])
        received.removeFirst(offset + length)
        return (fin, opcode, payload)
    }

    private func need(_ count: Int) throws {
        while received.count < count { try fill() }
    }

    private func fill() throws {
        guard Date() < deadline else { throw Failure(description: "no complete message from the server before the client's deadline") }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count > 0 else { throw Failure(description: count == 0 ? "connection closed by the server" : "recv failed: errno \(errno)") }
        received += buffer[0..<count]
    }

    /// Writes all of `bytes`, blocking while the socket's buffer is full.
    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            sent += count
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func containsSequence(_ other: [UInt8]) -> Bool { firstRange(of: other) != nil }
}
