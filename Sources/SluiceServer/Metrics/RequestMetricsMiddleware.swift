import Hummingbird
import SluiceWhisper

/// Counts HTTP requests by route and status and times them, for `/metrics`.
///
/// - Routes are the service's own paths; anything else counts as `other`, so clients cannot grow the label set.
/// - The WebSocket upgrade (`/v1/stream`) is left out: its sessions have their own metrics.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path != "/v1/stream" else { return try await next(request, context) }
        let route = meteredRoutes.contains(path) ? path : "other"
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(route: route, status: Int(response.status.code), seconds: started.duration(to: .now).seconds)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: route, status: Int(status), seconds: started.duration(to: .now).seconds)
            throw error
        }
    }
}

/// The HTTP routes counted by name.
private let meteredRoutes: Set<String> = ["/healthz", "/metrics", "/v1/audio/transcriptions", "/v1/audio/translations"]
