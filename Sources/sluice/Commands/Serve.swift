import ArgumentParser
import Foundation
import SluiceNN
import SluicePipelines
import SluiceServer

extension LogFormat: ExpressibleByArgument {}

/// `sluice serve [--pipeline P…]`: the WebSocket streaming endpoint and the OpenAI-style HTTP endpoints.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve pipelines over HTTP and WebSocket.",
        discussion: """
            Routes: GET /v1/stream (WebSocket: PCM in, JSON events out; ?task=translate for translation) from the pipeline \
            with a whisper.stream or simul.translate stage; POST /v1/audio/transcriptions and /v1/audio/translations \
            (OpenAI-style multipart forms, stream=true for server-sent events) from the pipeline with a whisper.transcribe \
            stage; GET /v1/models; GET /healthz; GET /metrics (Prometheus). Without --pipeline, built-in pipelines serve \
            --model (tiny.en) on both, and translation streams when the model is multilingual. With API keys \
            (--api-keys-file, or SLUICE_API_KEYS comma-separated) every /v1/ route needs 'Authorization: Bearer KEY' \
            (/v1/stream also takes ?api_key=KEY). One log line per request and per stream goes to stderr. \
            SIGINT/SIGTERM stop admitting sessions, finish open streams (their last finals are sent) within \
            --drain-timeout, then exit 0; a second signal exits at once. Connections are bounded: a request head \
            must arrive within --header-timeout, an idle kept-alive connection or a stalled body is closed after \
            --idle-timeout, a stream with no message for --stream-idle-timeout is closed, and past \
            --max-connections the longest-idle connection makes room (503 when all are busy). See Docs/service.md.
            """
    )

    @Option(
        parsing: .upToNextOption,
        help: "Pipeline files: a whisper.stream and/or a simul.translate one, a whisper.transcribe one (default: built-in ones for --model).")
    var pipeline: [String] = []

    @Option(help: "The model the built-in pipelines serve when no --pipeline is given (a multilingual one also streams translations).")
    var model: String?

    @Option(help: "A file of API keys, one a line (# comments); every /v1/ route then needs one. Also: SLUICE_API_KEYS=k1,k2.")
    var apiKeysFile: String?

    @Option(help: "An origin whose pages may call the API (CORS), such as https://captions.example.org; '*' for any. Repeatable.")
    var corsOrigin: [String] = []

    @Option(help: "The request log's lines on stderr: text or json.")
    var logFormat: LogFormat = .text

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the address is printed to stderr).")
    var port = 8080

    @Option(help: "Concurrent sessions (streams and transcription requests together); more are refused (429 / an error event).")
    var maxSessions = 4

    @Option(help: "Largest upload accepted by the transcription endpoints, in MiB (413 above it; at most \(Self.maxUploadLimit)).")
    var maxUploadMb = 25

    @Option(help: "Open connections at most (lowered to fit the open-file limit, ulimit -n).")
    var maxConnections = 1024

    @Option(help: "Seconds a request head may take to arrive whole (408 and close after).")
    var headerTimeout: Double = 10

    @Option(help: "Seconds an idle kept-alive connection, or a request body that stops arriving, is kept open.")
    var idleTimeout: Double = 30

    @Option(help: "Seconds a stream may go without a message from its client (error event and 1008 close after).")
    var streamIdleTimeout: Double = 60

    @Option(help: "Seconds open sessions get to finish after SIGINT/SIGTERM.")
    var drainTimeout = GraphExecution.defaultDrainTimeout

    @Option(help: "BLAS threads per decoding call (default: the cores divided by --max-sessions; sessions decode in parallel).")
    var threads: Int?

    func validate() throws {
        if model != nil, !pipeline.isEmpty {
            throw ValidationError("--model chooses the built-in pipelines' model; with --pipeline, the pipeline files name theirs")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maxSessions >= 1 else { throw ValidationError("--max-sessions must be at least 1") }
        guard (1...Self.maxUploadLimit).contains(maxUploadMb) else {
            throw ValidationError("--max-upload-mb must be in 1...\(Self.maxUploadLimit) (uploads are held in memory while they are decoded)")
        }
        guard (1...Self.maxConnectionsLimit).contains(maxConnections) else {
            throw ValidationError("--max-connections must be in 1...\(Self.maxConnectionsLimit)")
        }
        for (flag, seconds) in [
            ("--drain-timeout", drainTimeout), ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout),
            ("--stream-idle-timeout", streamIdleTimeout),
        ] {
            guard seconds.isFinite, Self.secondsRange.contains(seconds) else {
                throw ValidationError("\(flag) must be a number of seconds in \(Self.secondsRange.lowerBound)...\(Int(Self.secondsRange.upperBound))")
            }
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() async throws {
        Ops.setThreads(threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / maxSessions))
        // A log reader that goes away (a closed stderr pipe) must not end the service: writes fail instead.
        signal(SIGPIPE, SIG_IGN)
        let keys = try apiKeys()
        let pipelines = try loadingConfiguration {
            try pipeline.isEmpty ? ServedPipelines.defaults(model: model ?? ServedPipelines.defaultModel) : ServedPipelines.load(paths: pipeline)
        }
        var configuration = ServiceConfiguration(
            host: host, port: port, maxSessions: maxSessions, maxUploadBytes: maxUploadMb << 20,
            drainTimeout: Self.duration(drainTimeout))
        configuration.connections.maxConnections = maxConnections
        configuration.connections.headerTimeout = Self.duration(headerTimeout)
        configuration.connections.idleTimeout = Self.duration(idleTimeout)
        configuration.connections.streamIdleTimeout = Self.duration(streamIdleTimeout)
        configuration.apiKeys = APIKeys(keys)
        configuration.corsOrigins = corsOrigin
        configuration.logFormat = logFormat
        let serviceLog = ServiceLogHandler(format: logFormat)
        let json = logFormat == .json
        let log: @Sendable (String) -> Void = { message in
            if json { serviceLog.log(notice: message) } else { printError(message) }
        }
        do {
            try await SluiceService(pipelines: pipelines, configuration: configuration, log: log).run()
        } catch {
            printError("sluice: error: serving on \(host):\(port): \(error)")
            throw SluiceExit.runtimeFailure
        }
    }

    /// The keys from `--api-keys-file` and `SLUICE_API_KEYS`, together; none when neither is given.
    /// - Throws: exit 78 when the file cannot be read or holds no key.
    private func apiKeys() throws -> [String] {
        var keys = APIKeys.parse(environment: ProcessInfo.processInfo.environment["SLUICE_API_KEYS"] ?? "")
        if let apiKeysFile {
            guard let data = FileManager.default.contents(atPath: apiKeysFile) else {
                printError("sluice: error: --api-keys-file \(apiKeysFile): cannot read the file")
                throw SluiceExit.configuration
            }
            let fromFile = APIKeys.parse(file: String(decoding: data, as: UTF8.self))
            guard !fromFile.isEmpty else {
                printError("sluice: error: --api-keys-file \(apiKeysFile): no key in the file (one a line; # starts a comment)")
                throw SluiceExit.configuration
            }
            keys += fromFile
        }
        return keys
    }

    /// The largest `--max-upload-mb`: 2 GiB, below what one in-memory buffer can hold.
    static let maxUploadLimit = 2048
    static let maxConnectionsLimit = 1 << 20
    /// Seconds a timeout flag accepts: from 10 ms to a day.
    static let secondsRange = 0.01...86400.0

    /// `seconds` (checked to be in `secondsRange`) as a duration, to the millisecond.
    private static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int((seconds * 1000).rounded()))
    }
}
