import ArgumentParser
import Foundation
import SluiceNN
import SluicePipelines
import SluiceServer

/// `sluice serve --pipeline P…`: the WebSocket streaming endpoint and the OpenAI-style HTTP endpoints.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve pipelines over HTTP and WebSocket.",
        discussion: """
            Routes: GET /v1/stream (WebSocket: PCM in, JSON events out) from the pipeline with a whisper.stream \
            stage; POST /v1/audio/transcriptions and /v1/audio/translations (OpenAI-style multipart forms) from \
            the pipeline with a whisper.transcribe stage; GET /healthz; GET /metrics (Prometheus). \
            SIGINT/SIGTERM stop admitting sessions, finish open streams (their last finals are sent) within \
            --drain-timeout, then exit 0; a second signal exits at once.
            """
    )

    @Option(parsing: .upToNextOption,
            help: "Pipeline files: one with a whisper.stream stage, one with a whisper.transcribe stage, or both.")
    var pipeline: [String]

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the address is printed to stderr).")
    var port = 8080

    @Option(help: "Concurrent sessions (streams and transcription requests together); more are refused (429 / an error event).")
    var maxSessions = 4

    @Option(help: "Largest upload accepted by the transcription endpoints, in MiB (413 above it).")
    var maxUploadMb = 25

    @Option(help: "Seconds open sessions get to finish after SIGINT/SIGTERM.")
    var drainTimeout: Double = 30

    @Option(help: "BLAS threads per decoding call (sessions decode in parallel on their own threads).")
    var threads = 1

    func validate() throws {
        guard !pipeline.isEmpty else { throw ValidationError("--pipeline needs at least one pipeline file") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maxSessions >= 1 else { throw ValidationError("--max-sessions must be at least 1") }
        guard maxUploadMb >= 1 else { throw ValidationError("--max-upload-mb must be at least 1") }
        guard drainTimeout > 0 else { throw ValidationError("--drain-timeout must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        Ops.setThreads(threads)
        let pipelines = try loadingConfiguration { try ServedPipelines.load(paths: pipeline) }
        let configuration = ServiceConfiguration(
            host: host, port: port, maxSessions: maxSessions, maxUploadBytes: maxUploadMb << 20,
            drainTimeout: .milliseconds(Int(drainTimeout * 1000)))
        do {
            try await SluiceService(pipelines: pipelines, configuration: configuration, log: { printError($0) }).run()
        } catch {
            printError("sluice: error: serving on \(host):\(port): \(error)")
            throw SluiceExit.runtimeFailure
        }
    }
}
