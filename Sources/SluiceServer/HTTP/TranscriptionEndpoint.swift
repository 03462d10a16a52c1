import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluiceAudio
import SluiceVAD
import SluiceWhisper

/// `POST /v1/audio/transcriptions` and `/v1/audio/translations`, shaped like OpenAI's API.
///
/// - Form fields: `file` (WAV, FLAC, MP3, M4A, WebM, MP4, … as `AudioDecoder` reads; any rate and channel count), `model` (`whisper-1` or the
///   served model's name), `language`, `prompt`, `response_format` (json, text, srt, vtt, verbose_json),
///   `timestamp_granularities[]` (`word` adds word times to verbose_json), `stream` (`true`: server-sent events
///   as OpenAI sends them, ``TranscriptionEventStream``); other fields are ignored.
/// - Each request holds a session slot while it decodes, on a dispatch queue of its own.
struct TranscriptionEndpoint: Sendable {
    let settings: TranscriptionSettings
    let registry: SessionRegistry
    let maxUploadBytes: Int

    /// The answer to one request; `task` says which endpoint it came to.
    ///
    /// The session slot is taken before the body is read: a full server answers 429 without holding the
    /// upload, so the bodies in memory at once are bounded by `--max-sessions` × `--max-upload-mb`.
    func respond(to request: Request, task: DecodingOptions.Task) async throws -> Response {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > maxUploadBytes {
            throw APIError.tooLarge(limitBytes: maxUploadBytes)
        }
        let boundary: String
        do { boundary = try MultipartForm.boundary(contentType: request.headers[.contentType] ?? "(none)") } catch {
            throw APIError.unsupported(error.message)
        }
        let slot: SessionSlot
        switch registry.admit(.transcription) {
        case .admitted(let admitted): slot = admitted
        case .busy(let limit): throw APIError.busy(limit: limit)
        case .draining: throw APIError.shuttingDown
        }
        var held: SessionSlot? = slot
        defer { held?.release() }
        let job = try job(try await form(of: request, boundary: boundary), task: task)
        if job.stream {
            let (features, _) = try await features(job)
            held = nil  // the event stream holds the slot until its last event
            return TranscriptionEventStream(model: settings.model, options: job.options, metrics: registry.metrics)
                .response(features: features, slot: slot)
        }
        let transcript = try await transcribe(job)
        return Response(
            status: .ok, headers: [.contentType: job.format.contentType],
            body: .init(byteBuffer: ByteBuffer(string: job.format.render(transcript))))
    }

    /// The request's body, read up to the upload limit, as a form (the body's buffer is let go on return).
    private func form(of request: Request, boundary: String) async throws -> MultipartForm {
        var body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxUploadBytes) } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limitBytes: maxUploadBytes)
        }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        body = ByteBuffer()
        do { return try MultipartForm(body: bytes, boundary: boundary) } catch {
            throw APIError.invalid("malformed multipart/form-data body: \(error.message)")
        }
    }

    /// What one request asks for, checked.
    private struct Job: Sendable {
        /// The uploaded file's bytes (a slice of the form's body, not a copy).
        var audio: ArraySlice<UInt8>
        var filename: String
        var options: TranscriptionOptions
        var format: ResponseFormat
        /// `stream=true`: server-sent events as the windows are decoded.
        var stream: Bool
    }

    private func job(_ form: MultipartForm, task: DecodingOptions.Task) throws -> Job {
        guard let file = form.part("file"), file.filename != nil || !file.body.isEmpty else {
            throw APIError.invalid("a 'file' field with the audio is required", param: "file")
        }
        guard let model = form.field("model") else { throw APIError.invalid("a 'model' field is required", param: "model") }
        let servedName = ModelsEndpoint.publicName(settings.modelName)
        guard model == "whisper-1" || model == servedName || model == settings.modelName else {
            throw APIError.invalid(
                "model '\(model)' is not served here: use 'whisper-1' or '\(servedName)'", param: "model", code: "model_not_found")
        }
        let formatName = form.field("response_format") ?? "json"
        guard let format = ResponseFormat(rawValue: formatName) else {
            throw APIError.invalid("response_format '\(formatName)' is not one of json, text, srt, vtt, verbose_json", param: "response_format")
        }
        var options = settings.options
        options.decoding.task = task
        let multilingual = settings.model.tokens.isMultilingual
        if task == .translate, !multilingual {
            throw APIError.invalid(
                "model '\(servedName)' is English-only and cannot translate; serve a multilingual model (such as base) for translations",
                param: "model")
        }
        if let language = form.field("language"), !language.isEmpty {
            if let problem = WhisperLanguages.problem(with: language, multilingual: multilingual) {
                throw APIError.invalid("language: \(problem)", param: "language")
            }
            options.decoding.language = language
        }
        if let prompt = form.field("prompt"), !prompt.isEmpty { options.initialPrompt = prompt }
        if form.parts.contains(where: { $0.name == "timestamp_granularities[]" && $0.text == "word" }) { options.wordTimestamps = true }
        let streamField = form.field("stream") ?? "false"
        guard ["true", "false"].contains(streamField) else {
            throw APIError.invalid("stream '\(streamField)' is not true or false", param: "stream")
        }
        return Job(audio: file.body, filename: file.filename ?? "file", options: options, format: format, stream: streamField == "true")
    }

    /// Decodes the upload to log-mel features on a queue of its own (for the event stream, which decodes them
    /// window by window).
    private func features(_ job: Job) async throws -> (MelFeatures, SpeechOnlyAudio?) {
        let mels = settings.model.config.mels, speechFilter = settings.speechFilter, metrics = registry.metrics
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "sluice.transcription", qos: .userInitiated).async {
                do throws(UploadError) {
                    continuation.resume(
                        returning: try Self.features(
                            of: job.audio, named: job.filename, mels: mels, speechFilter: speechFilter, metrics: metrics))
                } catch {
                    continuation.resume(throwing: APIError.unsupported("cannot decode '\(job.filename)' as audio: \(error.message)", param: "file"))
                }
            }
        }
    }

    /// Decodes and transcribes on a queue of its own, off the event loops and the cooperative pool.
    private func transcribe(_ job: Job) async throws -> Transcript {
        let model = settings.model, speechFilter = settings.speechFilter
        let metrics = registry.metrics
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "sluice.transcription", qos: .userInitiated).async {
                let started = ContinuousClock.now
                let features: MelFeatures, speech: SpeechOnlyAudio?
                do throws(UploadError) {
                    (features, speech) = try Self.features(
                        of: job.audio, named: job.filename, mels: model.config.mels, speechFilter: speechFilter, metrics: metrics)
                } catch {
                    return continuation.resume(
                        throwing: APIError.unsupported("cannot decode '\(job.filename)' as audio: \(error.message)", param: "file"))
                }
                var transcript: Transcript
                do {
                    transcript = try Transcriber(model: model, options: job.options).transcribe(features)
                    if let speech { transcript = speech.restoring(transcript) }  // silero_vad: the upload's times
                } catch {
                    return continuation.resume(
                        throwing: APIError(
                            status: .internalServerError, message: "cannot transcribe '\(job.filename)': \(error)",
                            type: "server_error", param: nil, code: "decoding_failed"))
                }
                metrics.decoded(.transcription, audioSeconds: features.duration, busySeconds: started.duration(to: .now).seconds)
                continuation.resume(returning: transcript)
            }
        }
    }

    /// The log-mel features of an uploaded file (decoded from a temporary file, removed at once); with a
    /// speech filter, those of its speech only, and the speech (to map the times back).
    /// - Throws: `UploadError`, whose message names the client's file name, never the server's temporary path.
    private static func features(
        of audio: ArraySlice<UInt8>, named filename: String, mels: Int, speechFilter: SpeechFilter?,
        metrics: ServiceMetrics
    ) throws(UploadError) -> (MelFeatures, SpeechOnlyAudio?) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-upload-\(UUID().uuidString)").path
        let stored = audio.withUnsafeBytes { bytes in  // written from the form's buffer, without a copy
            FileManager.default.createFile(
                atPath: path,
                contents: bytes.baseAddress.map {
                    Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bytes.count, deallocator: .none)
                } ?? Data())
        }
        guard stored else {
            throw UploadError(message: "the server could not store the upload for decoding")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let reader = try AudioDecoder(path: path)
            defer { metrics.samplesClipped(reader.sampleGuard.clipped) }
            guard let speechFilter else { return (try MelFeatures.read(reader, mels: mels), nil) }
            let speech = try speechFilter.speech(in: reader)
            return (speech.features(mels: mels), speech)
        } catch {
            throw UploadError(message: "\(error)".replacingOccurrences(of: path, with: filename))
        }
    }

    /// Why an uploaded file could not be decoded, in words that are safe to send to the client.
    private struct UploadError: Error {
        var message: String
    }
}

/// The API's `response_format` values and what each is written as.
enum ResponseFormat: String, Sendable {
    case json, text, srt, vtt
    case verboseJSON = "verbose_json"

    var transcriptFormat: TranscriptFormat {
        switch self {
        case .json: .json
        case .text: .txt
        case .srt: .srt
        case .vtt: .vtt
        case .verboseJSON: .verboseJSON
        }
    }

    /// The answer's body, as OpenAI's API writes it: `usage` (`{"type":"duration","seconds":N}`, whole
    /// seconds rounded up) in json and verbose_json, and segment ids counted from 0.
    func render(_ transcript: Transcript) -> String {
        let usage: [(key: String, value: JSONText)] = [
            ("usage", .object([("type", .string("duration")), ("seconds", .integer(Int(transcript.duration.rounded(.up))))]))
        ]
        switch self {
        case .json: return TranscriptJSON.plain(transcript, appending: usage)
        case .verboseJSON:
            var numbered = transcript
            for index in numbered.segments.indices { numbered.segments[index].id = index }
            return TranscriptJSON.verbose(numbered, appending: usage)
        case .text, .srt, .vtt: return transcriptFormat.render(transcript)
        }
    }

    var contentType: String {
        switch self {
        case .json, .verboseJSON: "application/json"
        case .text, .srt: "text/plain; charset=utf-8"
        case .vtt: "text/vtt; charset=utf-8"
        }
    }
}
