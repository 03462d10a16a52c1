import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The context of each request: the WebSocket upgrade's handler, the client's address and the session id that
/// names the request (or the stream) in the request log.
struct ServiceRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let remoteAddress: SocketAddress?
    /// Set by ``RequestLogMiddleware``; sent back as `X-Request-Id`.
    var sessionID = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, for the log.
    var client: String { remoteAddress?.ipAddress ?? "-" }
}
