import HTTPTypes
import Hummingbird

/// Lets a request to a `/v1/` route through only with one of the server's keys; `/healthz`, `/metrics` and
/// the page stay open.
///
/// - The key comes as `Authorization: Bearer KEY`, as OpenAI's clients send it. A browser cannot set headers on
///   a WebSocket, so `/v1/stream` also takes it as the query parameter `api_key`.
/// - A missing or wrong key gets 401 in OpenAI's error shape (`code: invalid_api_key`); the message never
///   repeats what the client sent.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard keys.isEnabled, request.uri.path.hasPrefix("/v1/"), request.method != .options else {
            return try await next(request, context)
        }
        switch Self.presentedKey(request) {
        case nil:
            throw APIError.unauthorized(
                "no API key: send it as 'Authorization: Bearer KEY'" + (request.uri.path == "/v1/stream" ? " or the query parameter api_key" : ""))
        case let key? where keys.accepts(key):
            return try await next(request, context)
        case _?:
            throw APIError.unauthorized("the API key is not one this server accepts")
        }
    }

    /// The key a request presents: its bearer token, or for `/v1/stream` its `api_key` query parameter.
    static func presentedKey(_ request: Request) -> Substring? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1] }
            return ""  // some other scheme: a key that matches nothing
        }
        if request.uri.path == "/v1/stream", let key = request.uri.queryParameters["api_key"] { return key }
        return nil
    }
}

extension APIError {
    /// 401: no key, or a wrong one.
    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, message: message, type: "invalid_request_error", param: nil, code: "invalid_api_key")
    }
}
