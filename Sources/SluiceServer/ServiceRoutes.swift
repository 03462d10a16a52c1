import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import SluiceWhisper

/// The service's routes: `/v1/stream` (WebSocket), the OpenAI-style endpoints, `/healthz` and `/metrics`.
struct ServiceRoutes: Sendable {
    let pipelines: ServedPipelines
    let registry: SessionRegistry
    let configuration: ServiceConfiguration

    func router() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: registry.metrics))
        router.get("/healthz") { _, _ in health() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: registry.metrics.render())))
        }
        for (path, task) in [("/v1/audio/transcriptions", DecodingOptions.Task.transcribe), ("/v1/audio/translations", .translate)] {
            router.post(RouterPath(path)) { request, _ in
                guard let settings = pipelines.transcription else {
                    throw APIError(
                        status: .notFound,
                        message: "this server has no offline pipeline: start it with a --pipeline whose stage is whisper.transcribe",
                        type: "invalid_request_error", param: nil, code: "not_found")
                }
                return try await TranscriptionEndpoint(settings: settings, registry: registry, maxUploadBytes: configuration.maxUploadBytes)
                    .respond(to: request, task: task)
            }
        }
        router.ws("/v1/stream") { _, _ in
            guard pipelines.stream != nil else {
                throw HTTPError(
                    .notFound,
                    message: "this server has no stream pipeline: start it with a --pipeline whose stage is whisper.stream or simul.translate")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let query = Dictionary(context.request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { first, _ in first }
            let session = StreamSession(
                settings: pipelines.stream!, registry: registry, maxMessageBytes: configuration.maxMessageBytes,
                silenceTimeout: configuration.connections.streamIdleTimeout)
            await session.run(query: query, inbound: inbound, outbound: outbound)
        }
        WebPageRoutes.add(to: router)  // the live-captions page at `/`
        return router
    }

    /// `{"status":"ok"|"draining","sessions":N,"max_sessions":M}`; 503 while draining, so a load balancer stops sending.
    private func health() -> Response {
        let draining = registry.isDraining
        let body = "{\"status\":\"\(draining ? "draining" : "ok")\",\"sessions\":\(registry.openSessions),\"max_sessions\":\(registry.limit)}\n"
        return Response(
            status: draining ? .serviceUnavailable : .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
