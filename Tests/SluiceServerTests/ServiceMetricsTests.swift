import Testing

@testable import SluiceServer

/// The Prometheus text the service exposes.
@Suite struct ServiceMetricsTests {
    @Test func sessionsRequestsAndHistogramsAreRendered() {
        let metrics = ServiceMetrics()
        metrics.sessionStarted(.stream)
        metrics.sessionStarted(.stream)
        metrics.sessionEnded(.stream)
        metrics.sessionRejected(.transcription)
        metrics.decoded(.stream, audioSeconds: 2.5, busySeconds: 0.75)
        metrics.request(route: "/healthz", status: 200, seconds: 0.003)
        metrics.request(route: "/healthz", status: 200, seconds: 0.2)
        metrics.request(route: "/v1/audio/transcriptions", status: 413, seconds: 0.001)
        let text = metrics.render()
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "# TYPE sluice_sessions_active gauge",
            "sluice_sessions_active{kind=\"stream\"} 1",
            "sluice_sessions_total{kind=\"stream\"} 2",
            "sluice_sessions_rejected_total{kind=\"transcription\"} 1",
            "sluice_audio_seconds_total{kind=\"stream\"} 2.5",
            "sluice_decode_busy_seconds_total{kind=\"stream\"} 0.75",
            "sluice_http_requests_total{route=\"/healthz\",status=\"200\"} 2",
            "sluice_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"413\"} 1",
            "# TYPE sluice_http_request_duration_seconds histogram",
            "sluice_http_request_duration_seconds_bucket{le=\"0.005\",route=\"/healthz\"} 1",
            "sluice_http_request_duration_seconds_bucket{le=\"0.1\",route=\"/healthz\"} 1",
            "sluice_http_request_duration_seconds_bucket{le=\"0.25\",route=\"/healthz\"} 2",
            "sluice_http_request_duration_seconds_bucket{le=\"+Inf\",route=\"/healthz\"} 2",
            "sluice_http_request_duration_seconds_count{route=\"/healthz\"} 2",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
        #expect(metrics.activeSessions(.stream) == 1)
    }

    @Test func labelValuesAreEscaped() {
        #expect(PrometheusText.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(PrometheusText.number(3) == "3")
        #expect(PrometheusText.number(0.25) == "0.25")
    }
}
