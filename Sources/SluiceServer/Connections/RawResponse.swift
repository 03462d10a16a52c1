import Foundation

/// The few answers the server writes below HTTP handling, to a connection it is about to close: a request it
/// could not parse (400), a head that did not arrive in time (408), no room for the connection (503).
///
/// Each is an OpenAI-style error body with `Connection: close`, as the endpoints' own errors are.
enum RawResponse {
    static func malformed(_ reason: String) -> [UInt8] {
        response(400, "Bad Request", message: "malformed HTTP request: \(reason)", type: "invalid_request_error", code: "bad_request")
    }

    static func headerTimeout(_ timeout: Duration) -> [UInt8] {
        response(
            408, "Request Timeout", message: "the request head did not arrive within \(timeout) (--header-timeout)",
            type: "invalid_request_error", code: "request_timeout")
    }

    static func full(limit: Int) -> [UInt8] {
        response(
            503, "Service Unavailable", message: "server busy: all \(limit) connections are in use (--max-connections); retry later",
            type: "server_error", code: "too_many_connections")
    }

    private static func response(_ status: Int, _ reason: String, message: String, type: String, code: String) -> [UInt8] {
        let body = #"{"error":{"code":"\#(code)","message":\#(jsonString(message)),"param":null,"type":"\#(type)"}}"#
        let head = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
