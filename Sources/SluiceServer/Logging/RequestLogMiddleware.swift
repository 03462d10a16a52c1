import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Writes one log line per HTTP request, once its answer has been sent: method, path (without its query, which
/// may hold an API key), status, body bytes sent, duration, client address and session id.
///
/// - Each request gets a session id, sent back as `X-Request-Id`; a stream's upgrade is not logged here: the
///   stream logs its own line at its end, with the same id (``RequestLog/stream``).
/// - Errors are turned into their answers here, so that their status and size are what is logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let log: RequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.sessionID = RequestLog.newSessionID()
        let started = ContinuousClock.now
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            log.request(request, status: 500, bytes: 0, started: started, context: context)
            throw error
        }
        response.headers[.requestID] = context.sessionID
        if request.uri.path == "/v1/stream", response.status == .ok { return response }  // the upgrade: the stream logs
        let body = response.body
        let bytes = ByteCount()
        let status = Int(response.status.code)
        response.body = ResponseBody(contentLength: body.contentLength) { [log, context] writer in
            do {
                try await body.write(
                    writer.map { buffer in
                        bytes.value.add(buffer.readableBytes, ordering: .relaxed)
                        return buffer
                    })
            } catch {
                log.request(request, status: status, bytes: bytes.value.load(ordering: .relaxed), started: started, context: context)
                throw error
            }
            log.request(request, status: status, bytes: bytes.value.load(ordering: .relaxed), started: started, context: context)
        }
        return response
    }
}

/// Bytes of a response body written so far.
private final class ByteCount: Sendable {
    let value = Atomic<Int>(0)
}

/// The request log: a swift-log logger whose lines are text or JSON (``ServiceLogHandler``).
struct RequestLog: Sendable {
    let logger: Logger

    init(format: LogFormat) {
        logger = Logger(label: "sluice.requests") { _ in ServiceLogHandler(format: format) }
    }

    /// An HTTP request's line.
    func request(_ request: Request, status: Int, bytes: Int, started: ContinuousClock.Instant, context: ServiceRequestContext) {
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": .stringConvertible(status),
                "bytes": .stringConvertible(bytes), "duration_s": .stringConvertible(Self.seconds(since: started)),
                "client": "\(context.client)", "session": "\(context.sessionID)",
            ])
    }

    /// A stream's line, at its end.
    func stream(
        _ summary: StreamSummary, task: String, started: ContinuousClock.Instant, client: String, session: String
    ) {
        logger.info(
            "stream",
            metadata: [
                "method": "GET", "path": "/v1/stream", "status": .stringConvertible(101), "task": "\(task)",
                "outcome": "\(summary.outcome)", "audio_s": .stringConvertible((summary.audioSeconds * 1000).rounded() / 1000),
                "events": .stringConvertible(summary.events), "final_words": .stringConvertible(summary.finalWords),
                "duration_s": .stringConvertible(Self.seconds(since: started)), "client": "\(client)", "session": "\(session)",
            ])
    }

    /// Seconds since `started`, to the millisecond.
    private static func seconds(since started: ContinuousClock.Instant) -> Double {
        let elapsed = started.duration(to: .now)
        return ((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1000).rounded() / 1000
    }

    /// 16 hex digits, random: names one request or stream.
    static func newSessionID() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16).leftPadded(to: 16)
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the session id the request log names the request by.
    static let requestID = HTTPField.Name("X-Request-Id")!
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
