import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered the way OpenAI's API answers: a status and `{"error":{"message","type","param","code"}}`.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    /// `invalid_request_error`, `rate_limit_error` or `server_error`.
    var type: String
    /// The form field at fault, if one is.
    var param: String?
    var code: String?

    var headers: HTTPFields { [:] }

    /// 400: a field is missing or wrong.
    static func invalid(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// 413: the upload is over `--max-upload-mb`.
    static func tooLarge(limitBytes: Int) -> APIError {
        APIError(
            status: .contentTooLarge, message: "request body is larger than the server's limit of \(limitBytes / (1 << 20)) MB (--max-upload-mb)",
            type: "invalid_request_error", param: "file", code: "file_too_large")
    }

    /// 415: not a form, or audio that cannot be decoded.
    static func unsupported(_ message: String, param: String? = nil) -> APIError {
        APIError(status: .unsupportedMediaType, message: message, type: "invalid_request_error", param: param, code: "unsupported_media_type")
    }

    /// 429: every session slot is in use.
    static func busy(limit: Int) -> APIError {
        APIError(
            status: .tooManyRequests, message: "server busy: all \(limit) sessions are in use (--max-sessions); retry later",
            type: "rate_limit_error", param: nil, code: "rate_limit_exceeded")
    }

    /// 503: the server is draining before it exits.
    static let shuttingDown = APIError(
        status: .serviceUnavailable, message: "server is shutting down", type: "server_error",
        param: nil, code: "shutting_down")

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ["error": Body(message: message, type: type, param: param, code: code)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct Body: Encodable {
        var message: String
        var type: String
        var param: String?
        var code: String?

        func encode(to encoder: any Encoder) throws {  // null, not absent, for a missing param or code
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)
            try container.encode(code, forKey: .code)
        }

        enum CodingKeys: String, CodingKey { case message, type, param, code }
    }
}
