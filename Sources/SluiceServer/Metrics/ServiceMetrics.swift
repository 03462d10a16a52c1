import Foundation
import Synchronization

/// The service's counters, gauges and latency histogram, rendered in Prometheus's text format at `/metrics`.
///
/// - Every name starts with `sluice_`; counters end in `_total`, durations are in seconds.
/// - Labels take values from small fixed sets (session kinds, route names, status codes), so the number of
///   series stays bounded whatever clients send.
public final class ServiceMetrics: Sendable {
    /// What a session does: a WebSocket stream or one offline transcription request.
    public enum SessionKind: String, Sendable, CaseIterable { case stream, transcription }

    /// Why the server closed a connection (or a stream) itself.
    public enum ConnectionCloseReason: String, Sendable, CaseIterable {
        case headerTimeout = "header_timeout"
        case idleTimeout = "idle_timeout"
        case bodyTimeout = "body_timeout"
        case streamIdleTimeout = "stream_idle_timeout"
        /// Closed to make room for a new connection past `--max-connections`.
        case evicted
        /// A new connection past `--max-connections` while every open one was busy (503).
        case refused
        /// A request head that could not be parsed (400).
        case malformed
    }

    /// Upper bounds (seconds) of the request latency histogram's buckets.
    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: ServiceMetrics.latencyBuckets.count)
        var count = 0
        var sum = 0.0
    }

    private struct State {
        var activeSessions: [SessionKind: Int] = [:]
        var sessions: [SessionKind: Int] = [:]
        var rejectedSessions: [SessionKind: Int] = [:]
        var audioSeconds: [SessionKind: Double] = [:]
        var decodeSeconds: [SessionKind: Double] = [:]
        /// Requests by (route, status).
        var requests: [RequestKey: Int] = [:]
        var latency: [String: Histogram] = [:]
        var openConnections = 0
        var closedConnections: [ConnectionCloseReason: Int] = [:]
        var clippedSamples = 0
    }

    private struct RequestKey: Hashable, Comparable {
        var route: String
        var status: Int
        static func < (a: Self, b: Self) -> Bool { (a.route, a.status) < (b.route, b.status) }
    }

    private let state = Mutex(State())

    public init() {}

    /// A session of `kind` was admitted.
    func sessionStarted(_ kind: SessionKind) {
        state.withLock {
            $0.activeSessions[kind, default: 0] += 1
            $0.sessions[kind, default: 0] += 1
        }
    }

    /// A session of `kind` ended (however it ended).
    func sessionEnded(_ kind: SessionKind) {
        state.withLock { $0.activeSessions[kind, default: 0] -= 1 }
    }

    /// A session of `kind` was turned away (all slots in use, or the server is draining).
    func sessionRejected(_ kind: SessionKind) {
        state.withLock { $0.rejectedSessions[kind, default: 0] += 1 }
    }

    /// `seconds` of audio went into a decoder, which was busy for `busy` seconds with it.
    func decoded(_ kind: SessionKind, audioSeconds seconds: Double, busySeconds busy: Double) {
        state.withLock {
            $0.audioSeconds[kind, default: 0] += seconds
            $0.decodeSeconds[kind, default: 0] += busy
        }
    }

    /// An HTTP request to `route` was answered with `status` after `seconds`.
    func request(route: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests[RequestKey(route: route, status: status), default: 0] += 1
            var histogram = $0.latency[route] ?? Histogram()
            if let bucket = Self.latencyBuckets.firstIndex(where: { seconds <= $0 }) { histogram.counts[bucket] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            $0.latency[route] = histogram
        }
    }

    /// A connection was accepted.
    func connectionOpened() {
        state.withLock { $0.openConnections += 1 }
    }

    /// An accepted connection closed (for whatever reason).
    func connectionEnded() {
        state.withLock { $0.openConnections -= 1 }
    }

    /// The server closed a connection or a stream, or turned a connection away, for `reason`.
    func connectionClosed(_ reason: ConnectionCloseReason) {
        state.withLock { $0.closedConnections[reason, default: 0] += 1 }
    }

    /// `count` samples (of a stream or an upload) were outside [-1, 1] and clipped to it.
    func samplesClipped(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.clippedSamples += count }
    }

    /// Sessions of `kind` open now.
    public func activeSessions(_ kind: SessionKind) -> Int {
        state.withLock { $0.activeSessions[kind] ?? 0 }
    }

    /// Every metric in Prometheus's text exposition format (version 0.0.4), the process's own (`process_*`) last.
    public func render() -> String {
        let state = state.withLock { $0 }
        var text = PrometheusText()
        text.family("sluice_sessions_active", .gauge, "Sessions open now, by kind.")
        for kind in SessionKind.allCases { text.sample("sluice_sessions_active", ["kind": kind.rawValue], state.activeSessions[kind] ?? 0) }
        text.family("sluice_sessions_total", .counter, "Sessions admitted, by kind.")
        for kind in SessionKind.allCases { text.sample("sluice_sessions_total", ["kind": kind.rawValue], state.sessions[kind] ?? 0) }
        text.family("sluice_sessions_rejected_total", .counter, "Sessions turned away (limit reached or draining), by kind.")
        for kind in SessionKind.allCases {
            text.sample("sluice_sessions_rejected_total", ["kind": kind.rawValue], state.rejectedSessions[kind] ?? 0)
        }
        text.family("sluice_audio_seconds_total", .counter, "Seconds of audio decoded, by session kind.")
        for kind in SessionKind.allCases { text.sample("sluice_audio_seconds_total", ["kind": kind.rawValue], state.audioSeconds[kind] ?? 0) }
        text.family("sluice_decode_busy_seconds_total", .counter, "Seconds decoders were busy, by session kind.")
        for kind in SessionKind.allCases {
            text.sample("sluice_decode_busy_seconds_total", ["kind": kind.rawValue], state.decodeSeconds[kind] ?? 0)
        }
        text.family("sluice_http_requests_total", .counter, "HTTP requests answered, by route and status.")
        for key in state.requests.keys.sorted() {
            text.sample("sluice_http_requests_total", ["route": key.route, "status": String(key.status)], state.requests[key]!)
        }
        text.family("sluice_http_request_duration_seconds", .histogram, "HTTP request latency, by route.")
        for route in state.latency.keys.sorted() {
            let histogram = state.latency[route]!
            var cumulative = 0
            for (bound, count) in zip(Self.latencyBuckets, histogram.counts) {
                cumulative += count
                text.sample("sluice_http_request_duration_seconds_bucket", ["route": route, "le": PrometheusText.number(bound)], cumulative)
            }
            text.sample("sluice_http_request_duration_seconds_bucket", ["route": route, "le": "+Inf"], histogram.count)
            text.sample("sluice_http_request_duration_seconds_sum", ["route": route], histogram.sum)
            text.sample("sluice_http_request_duration_seconds_count", ["route": route], histogram.count)
        }
        text.family("sluice_connections_open", .gauge, "HTTP and WebSocket connections open now.")
        text.sample("sluice_connections_open", [:], state.openConnections)
        text.family(
            "sluice_connections_closed_total", .counter,
            "Connections the server closed or turned away itself, by reason (timeouts, --max-connections, malformed requests).")
        for reason in ConnectionCloseReason.allCases {
            text.sample("sluice_connections_closed_total", ["reason": reason.rawValue], state.closedConnections[reason] ?? 0)
        }
        text.family("sluice_samples_clipped_total", .counter, "Samples outside [-1, 1] (f32le streams, float uploads), clipped to full scale.")
        text.sample("sluice_samples_clipped_total", [:], state.clippedSamples)
        ProcessMetrics.current()?.render(into: &text)
        return text.output
    }
}
