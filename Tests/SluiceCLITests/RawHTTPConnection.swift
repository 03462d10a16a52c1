import Foundation

/// A TCP connection to `127.0.0.1:port` that writes exactly the bytes a test gives it, for requests no HTTP
/// client would send: broken heads, partial heads, idle connections.
final class RawHTTPConnection: @unchecked Sendable {  // used by one thread at a time
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Int32
    private var closed = false

    init(port: Int) throws {
        socket = try Self.connectedSocket(port: port)
    }

    /// A TCP socket connected to `127.0.0.1:port` (also the WebSocket test client's).
    static func connectedSocket(port: Int) throws -> Int32 {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Foundation.close(socket)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        return socket
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        Foundation.close(socket)
    }

    /// Writes `bytes`; false when the server closed the connection before taking them all.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Closes the sending side (the server reads the end of the input).
    func finishSending() {
        shutdown(socket, Int32(SHUT_WR))
    }

    /// What the server sends until it closes the connection (`closed`), or until `seconds` pass (not closed).
    func readUntilClosed(within seconds: Double) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (String(decoding: received, as: UTF8.self), false) }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, left * 1000))) > 0 else { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return (String(decoding: received, as: UTF8.self), true) }  // EOF or reset
            received += buffer[0..<count]
        }
    }

    /// Reads until a whole response head has arrived (or `seconds` pass): its text so far.
    func readHead(within seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while deadline.timeIntervalSinceNow > 0, received.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
