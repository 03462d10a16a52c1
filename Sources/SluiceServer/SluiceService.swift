import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `sluice serve`: the HTTP and WebSocket service over the served pipelines, until SIGINT or SIGTERM.
///
/// Shutdown: the first signal stops admitting sessions (`/healthz` answers 503, so a load balancer takes the
/// instance out) and lets open sessions run to their end for up to the drain timeout; streams still open
/// then end as if their client had sent `{"eof":1}` (remaining finals are sent, then a 1001 close); then
/// the listener closes. A second signal exits at once.
public struct SluiceService: Sendable {
    public let pipelines: ServedPipelines
    public let configuration: ServiceConfiguration
    public let metrics = ServiceMetrics()
    /// Writes one line of the service's own log (stderr in `sluice serve`).
    let log: @Sendable (String) -> Void

    public init(pipelines: ServedPipelines, configuration: ServiceConfiguration, log: @escaping @Sendable (String) -> Void) {
        self.pipelines = pipelines
        self.configuration = configuration
        self.log = log
    }

    /// Serves until a signal has drained the sessions; prints `serving on http://HOST:PORT` once listening.
    public func run() async throws {
        let registry = SessionRegistry(limit: configuration.maxSessions, metrics: metrics)
        let routes = ServiceRoutes(
            pipelines: pipelines, registry: registry, configuration: configuration, requestLog: RequestLog(format: configuration.logFormat))
        let router = routes.router()
        var logger = Logger(label: "sluice.serve", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let summary = [
            pipelines.transcriptionStream.map { "stream: \($0.file) (\($0.modelName))" },
            pipelines.translationStream.map { "translation stream: \($0.file) (\($0.modelName))" },
            pipelines.transcription.map { "offline: \($0.file) (\($0.modelName))" },
            configuration.apiKeys.isEnabled ? "\(configuration.apiKeys.keys.count) API keys" : nil,
        ].compactMap { $0 }.joined(separator: ", ")
        let connections = connectionRegistry()
        let app = Application(
            router: router,
            server: server(webSocketRouter: router, connections: connections),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { [log, configuration] channel in
                let port = channel.localAddress?.port ?? configuration.port
                log(
                    "sluice: serving on http://\(configuration.host):\(port) (\(summary); up to \(configuration.maxSessions) sessions, "
                        + "\(connections.limit) connections)")
            },
            logger: logger)
        let drain = DrainService(registry: registry, timeout: configuration.drainTimeout, log: log)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: drain)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the drain, a listener that will not close is cancelled.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.drainTimeout + .seconds(10)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}

extension SluiceService {
    /// The registry that caps open connections, under the process's open-file limit (raised to its hard
    /// limit first); a cap lowered to fit is reported.
    private func connectionRegistry() -> ConnectionRegistry {
        let requested = configuration.connections.maxConnections
        let descriptors = FileDescriptorLimit.raiseToHardLimit()
        let cap = FileDescriptorLimit.connectionCap(requested: requested, descriptors: descriptors)
        if cap < requested, let descriptors {
            log(
                "sluice: warning: --max-connections \(requested) lowered to \(cap): the open-file limit (ulimit -n) is \(descriptors), "
                    + "and \(FileDescriptorLimit.reserve) files are kept for other uses")
        }
        return ConnectionRegistry(limit: cap)
    }

    /// HTTP/1 with the WebSocket upgrade, each connection behind the connection limit and its guard.
    private func server(webSocketRouter: Router<ServiceRequestContext>, connections: ConnectionRegistry) -> HTTPServerBuilder {
        let limits = configuration.connections
        var http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ExchangeObserver()], idleTimeout: nil)
        http1.httpDecoder = .init(
            maxHeaderFieldSize: limits.maxHeaderFieldBytes, maxHeaderListSize: limits.maxHeaderBytes,
            maxHeaderFieldCount: limits.maxHeaderFields)
        let channel = HTTP1WebSocketUpgradeChannel.Configuration(http1: http1, ws: .init(maxFrameSize: configuration.maxMessageBytes))
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { [metrics] responder in
            GuardedChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: channel),
                limits: limits, registry: connections, metrics: metrics)
        }
    }
}

/// Drains the sessions when graceful shutdown begins; the service group shuts it down before the listener.
struct DrainService: Service {
    let registry: SessionRegistry
    let timeout: Duration
    let log: @Sendable (String) -> Void

    func run() async throws {
        do { try await gracefulShutdown() } catch { return }  // cancelled: nothing to drain
        log("sluice: draining \(registry.openSessions) open sessions (up to \(timeout); a second signal exits at once)")
        let watcher = Task { [log] in
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                log("sluice: \(signal) again: exiting without draining")
                exit(1)
            }
        }
        defer { watcher.cancel() }
        let left = await registry.drain(deadline: timeout)
        log(left == 0 ? "sluice: all sessions drained" : "sluice: \(left) sessions still open after \(timeout); closing")
    }
}
