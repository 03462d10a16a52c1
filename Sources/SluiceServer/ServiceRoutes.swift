import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import SluiceWhisper

/// The service's routes: `/v1/stream` (WebSocket), the OpenAI-style endpoints, `/healthz` and `/metrics`.
///
/// Middleware, outermost first: request metrics, the request log, CORS (`--cors-origin`), then the API keys
/// (`/v1/` routes only), so that a refused request is counted, logged and readable by an allowed page.
struct ServiceRoutes: Sendable {
    let pipelines: ServedPipelines
    let registry: SessionRegistry
    let configuration: ServiceConfiguration
    let requestLog: RequestLog

    func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: registry.metrics))
        router.add(middleware: RequestLogMiddleware(log: requestLog))
        if !configuration.corsOrigins.isEmpty { router.add(middleware: CORSAllowList(origins: configuration.corsOrigins)) }
        router.add(middleware: APIKeyMiddleware(keys: configuration.apiKeys))
        let models = ModelsEndpoint(pipelines: pipelines)
        router.get("/v1/models") { _, _ in models.list() }
        router.get("/v1/models/{id}") { _, context in try models.model(id: context.parameters.get("id") ?? "") }
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
        router.ws("/v1/stream") { request, _ in
            guard pipelines.stream != nil else {
                throw HTTPError(
                    .notFound,
                    message: "this server has no stream pipeline: start it with a --pipeline whose stage is whisper.stream or simul.translate")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let started = ContinuousClock.now
            let query = Dictionary(context.request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { first, _ in first }
            let summary: StreamSummary
            do {
                var settings = try pipelines.stream(task: query["task"])
                if let language = query["language"], !language.isEmpty { settings = try settings.speaking(language) }
                let session = StreamSession(
                    settings: settings, registry: registry, maxMessageBytes: configuration.maxMessageBytes,
                    silenceTimeout: configuration.connections.streamIdleTimeout)
                summary = await session.run(query: query, inbound: inbound, outbound: outbound)
            } catch let error as StreamProtocolError {
                summary = StreamSummary(outcome: "bad_request")
                try? await outbound.write(.text(ErrorEvent(message: error.message).json))
                try? await outbound.close(.unacceptableData, reason: nil)
            } catch {
                summary = StreamSummary(outcome: "error")
            }
            requestLog.stream(
                summary, task: ["transcribe", "translate"].contains(query["task"]) ? query["task"]! : query["task"] == nil ? "default" : "invalid",
                started: started, client: context.requestContext.client,
                session: context.requestContext.sessionID)
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
