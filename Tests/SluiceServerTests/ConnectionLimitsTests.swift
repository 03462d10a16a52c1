import Foundation
import Testing

@testable import SluiceServer

/// The connection timeouts, the connection cap and the answers written below HTTP handling, without sockets.
@Suite struct ConnectionLimitsTests {
    static let start = ContinuousClock.now
    static func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int(seconds * 1000)) }

    var limits: ConnectionLimits {
        var limits = ConnectionLimits()
        limits.headerTimeout = .seconds(10)
        limits.idleTimeout = .seconds(30)
        return limits
    }

    @Test func aNewConnectionMustSendItsHeadWithinTheHeaderTimeout() {
        var state = ConnectionState(limits: limits, openedAt: Self.at(0))
        #expect(state.isIdle)
        #expect(state.deadline?.at == Self.at(10))
        #expect(state.deadline?.expiry == .header)
        #expect(!state.hasPartialHead)
        state.bytesArrived(at: Self.at(4))  // "GET /heal" and nothing more: the clock keeps running from the open
        #expect(state.hasPartialHead)
        #expect(state.deadline?.at == Self.at(10))
    }

    @Test func aBodyMustKeepArrivingAndAnAnswerInTheWorksHasNoDeadline() {
        var state = ConnectionState(limits: limits, openedAt: Self.at(0))
        state.requestHead(at: Self.at(1))
        #expect(!state.isIdle)
        #expect(state.deadline?.at == Self.at(31))
        #expect(state.deadline?.expiry == .body)
        state.bytesArrived(at: Self.at(20))
        #expect(state.deadline?.at == Self.at(50))
        state.requestEnd(at: Self.at(21))
        #expect(state.deadline == nil)  // decoding an upload may take long: the session limit bounds it
        state.responseEnd(at: Self.at(90))
        #expect(state.isIdle)
        #expect(state.servedRequests == 1)
        #expect(state.deadline?.at == Self.at(120))
        #expect(state.deadline?.expiry == .idle)
    }

    @Test func aKeptAliveConnectionGetsTheHeaderTimeoutFromTheNextHeadsFirstByte() {
        var state = ConnectionState(limits: limits, openedAt: Self.at(0))
        state.requestHead(at: Self.at(0))
        state.requestEnd(at: Self.at(0))
        state.responseEnd(at: Self.at(1))
        state.bytesArrived(at: Self.at(5))
        #expect(state.hasPartialHead)
        #expect(state.deadline?.at == Self.at(15))
        #expect(state.deadline?.expiry == .header)
    }

    @Test func anAnswerBeforeTheBodyEndsWaitsForTheBody() {
        var state = ConnectionState(limits: limits, openedAt: Self.at(0))
        state.requestHead(at: Self.at(0))
        state.responseEnd(at: Self.at(1))  // 429 before the upload was read: the rest is still coming
        #expect(!state.isIdle)
        #expect(state.deadline?.expiry == .body)
        state.requestEnd(at: Self.at(2))
        #expect(state.isIdle)
    }

    @Test func webSocketsAndClosingConnectionsHaveNoDeadline() {
        var stream = ConnectionState(limits: limits, openedAt: Self.at(0))
        stream.upgraded()
        #expect(stream.deadline == nil)
        #expect(!stream.isIdle)
        var closing = ConnectionState(limits: limits, openedAt: Self.at(0))
        closing.closing()
        closing.upgraded()
        #expect(closing.phase == .closing)
        #expect(closing.deadline == nil)
    }

    @Test func pastTheCapTheLongestIdleConnectionMakesRoom() {
        let registry = ConnectionRegistry(limit: 2)
        let closed = Closed()
        guard case .admitted(let first, nil) = registry.open(at: Self.at(0), close: { closed.add("first") }),
            case .admitted(let second, nil) = registry.open(at: Self.at(1), close: { closed.add("second") })
        else {
            Issue.record("the first two connections are admitted")
            return
        }
        registry.setIdle(second, since: nil)  // busy: a request in flight
        guard case .admitted(_, let evicted?) = registry.open(at: Self.at(2), close: { closed.add("third") }) else {
            Issue.record("the third connection is admitted in place of the idle one")
            return
        }
        evicted()
        #expect(closed.names == ["first"])
        #expect(registry.openConnections == 2)
        registry.closed(first)  // its close completing later changes nothing
        #expect(registry.openConnections == 2)
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefused() {
        let registry = ConnectionRegistry(limit: 1)
        guard case .admitted(let only, _) = registry.open(at: Self.at(0), close: {}) else {
            Issue.record("admitted")
            return
        }
        registry.setIdle(only, since: nil)
        guard case .refused = registry.open(at: Self.at(1), close: {}) else {
            Issue.record("refused while the only connection is busy")
            return
        }
        registry.closed(only)
        guard case .admitted = registry.open(at: Self.at(2), close: {}) else {
            Issue.record("admitted once the busy one has closed")
            return
        }
    }

    @Test func theCapFitsUnderTheOpenFileLimit() {
        #expect(FileDescriptorLimit.connectionCap(requested: 1024, descriptors: 20000) == 1024)
        #expect(FileDescriptorLimit.connectionCap(requested: 1024, descriptors: 256) == 256 - FileDescriptorLimit.reserve)
        #expect(FileDescriptorLimit.connectionCap(requested: 1024, descriptors: 10) == FileDescriptorLimit.minimumConnections)
        #expect(FileDescriptorLimit.connectionCap(requested: 1024, descriptors: nil) == 1024)
    }

    @Test func rawAnswersAreCompleteHTTPResponsesThatClose() throws {
        let text = String(decoding: RawResponse.malformed("invalid \"Content-Length\""), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"))
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        #expect(text.contains("Content-Length: \(parts[1].utf8.count)\r\n"))
        let body = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: [String: Any]]
        #expect(body?["error"]?["message"] as? String == "malformed HTTP request: invalid \"Content-Length\"")
        #expect(body?["error"]?["code"] as? String == "bad_request")
        #expect(String(decoding: RawResponse.headerTimeout(.seconds(10)), as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(String(decoding: RawResponse.full(limit: 3), as: UTF8.self).contains("all 3 connections are in use"))
    }

    @Test func closeReasonsAndClippedSamplesAreCounted() {
        let metrics = ServiceMetrics()
        metrics.connectionOpened()
        metrics.connectionOpened()
        metrics.connectionEnded()
        metrics.connectionClosed(.headerTimeout)
        metrics.connectionClosed(.evicted)
        metrics.connectionClosed(.evicted)
        metrics.samplesClipped(3)
        let lines = Set(metrics.render().split(separator: "\n").map(String.init))
        for expected in [
            "sluice_connections_open 1", "sluice_connections_closed_total{reason=\"header_timeout\"} 1",
            "sluice_connections_closed_total{reason=\"evicted\"} 2", "sluice_connections_closed_total{reason=\"malformed\"} 0",
            "sluice_samples_clipped_total 3",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
    }
}

/// Names of the connections a test's registry closed.
private final class Closed: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var closed: [String] = []

    func add(_ name: String) { lock.withLock { closed.append(name) } }
    var names: [String] { lock.withLock { closed } }
}
