import Foundation

/// Decodes the first audio stream of any container and codec FFmpeg's libraries read (M4A/AAC, MP4,
/// MKV and WebM with or without video, Opus, AMR, WMA, MP3, µ-law WAV, …) from a file or a stream.
///
/// - Samples come out as interleaved float at the stream's own rate and channel count: resampling is
///   left to Sluice's one path (libsoxr, downstream), as for libsndfile's audio.
/// - Files are read by path, seeking as the container needs. Streams (stdin, pipes) are read forward
///   only, as the bytes arrive: the formats made to stream work (Ogg, WebM/Matroska, ADTS AAC, MP3, AMR,
///   WAV, MP4 with its index first); an MP4/M4A whose index follows its audio fails at once, saying how
///   to fix it, instead of after reading the whole stream.
/// - A container that declares its stream's length exactly (MP4, Matroska with a duration) and holds
///   less audio is reported as truncated.
public final class FFmpegDecoder: AudioReading, @unchecked Sendable {  // single reader; `requestStop` is thread-safe
    public let sampleRate: Int
    public let channels: Int
    public let name: String
    public private(set) var sampleGuard = SampleGuard()
    private let stream: FFmpegAudioStream
    private let converter: SampleConverter
    /// Converted samples not yet read, from `pendingStart`.
    private var pending: [Float]
    private var pendingStart = 0
    private var framesConverted: Int64
    private var framesRead: Int64 = 0
    private var ended = false
    private let lock = NSLock()
    private var stopRequested = false

    /// FFmpeg's name of the container ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "amr", …).
    public var container: String { stream.container }
    /// FFmpeg's name of the audio codec ("aac", "opus", "amrnb", …).
    public var codec: String { stream.codecName }

    /// Opens the file at `path`.
    public convenience init(path: String) throws {
        let source = try FFmpegByteSource.file(path: path)
        do { try self.init(source: source) } catch FFmpegAudioStream.OpenFailure.unrecognised {
            throw AudioError("\(path): not a format FFmpeg recognises")
        } catch FFmpegAudioStream.OpenFailure.failed(let error) { throw error }
    }

    /// Decodes a non-seekable stream such as stdin; `name` is used in messages.
    public convenience init(fileDescriptor: Int32, name: String) throws {
        do { try self.init(stream: InputStream(descriptor: fileDescriptor, name: name)) } catch FFmpegAudioStream.OpenFailure.unrecognised {
            throw AudioError("\(name): not a format FFmpeg recognises")
        } catch FFmpegAudioStream.OpenFailure.failed(let error) { throw error }
    }

    /// Decodes `stream` from its current position (which `AudioDecoder` rewinds after libsndfile's try).
    convenience init(stream: InputStream) throws {
        if try Self.layout(of: stream) == .indexLast {
            throw FFmpegAudioStream.OpenFailure.failed(
                AudioError(
                    "\(stream.name): this MP4/M4A keeps its index (the moov box) after its audio, so it cannot be read "
                        + "from a stream; give its path instead, or move the index to the front with "
                        + "`ffmpeg -i IN -c copy -movflags +faststart OUT`"))
        }
        try self.init(source: FFmpegByteSource(origin: .stream(stream), name: stream.name))
    }

    /// Opens `source` and decodes its first frame, which sets the rate and channel count.
    /// - Throws: `FFmpegAudioStream.OpenFailure` when it cannot be opened, `AudioError` when it cannot be decoded.
    init(source: FFmpegByteSource) throws {
        let stream = try FFmpegAudioStream(source: source)
        guard let first = try stream.nextFrame(at: 0) else {
            throw AudioError("\(source.name): the \(stream.codecName) stream in the \(stream.container) container holds no audio")
        }
        let converter = try SampleConverter(first: first, name: source.name)
        var pending: [Float] = []
        try converter.convert(first, appendingTo: &pending)
        self.stream = stream
        self.converter = converter
        self.pending = pending
        name = source.name
        sampleRate = Int(converter.sampleRate)
        channels = converter.channels
        framesConverted = Int64(pending.count / converter.channels)
    }

    /// Returns the frames decoded so far (at least one, decoding more if needed), 0 at end of stream.
    public func read(into buffer: inout [Float], maxFrames: Int) throws -> Int {
        while pending.count - pendingStart < channels {
            if ended || lock.withLock({ stopRequested }) { return 0 }
            try decodeMore()
        }
        if lock.withLock({ stopRequested }) { return 0 }
        let frames = min(maxFrames, (pending.count - pendingStart) / channels)
        let samples = frames * channels
        if buffer.count < samples { buffer = [Float](repeating: 0, count: samples) }
        buffer.withUnsafeMutableBufferPointer { out in
            pending.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress! + pendingStart, count: samples) }
        }
        pendingStart += samples
        try sampleGuard.check(&buffer, count: samples, channels: channels, frame: framesRead, input: name)
        framesRead += Int64(frames)
        return frames
    }

    public func requestStop() {
        lock.withLock { stopRequested = true }
        stream.source.requestStop()
    }

    /// Decodes the next frame into `pending`; at the end, flushes the converter and checks the length.
    private func decodeMore() throws {
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart >= 1 << 16 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        let before = pending.count
        if let frame = try stream.nextFrame(at: framesConverted) {
            try converter.convert(frame, appendingTo: &pending)
        } else {
            converter.flush(appendingTo: &pending)
            ended = true
        }
        framesConverted += Int64((pending.count - before) / channels)
        if ended, !lock.withLock({ stopRequested }) { try checkLength() }
    }

    /// Fails a stream that ends well short of the length its container declares.
    private func checkLength() throws {
        guard let declared = stream.declaredSeconds else { return }
        let decoded = Double(framesConverted) / Double(sampleRate)
        if decoded < declared - max(0.1, declared * 0.01) {
            throw AudioError(
                "\(name): truncated at sample \(framesConverted): "
                    + "\(String(format: "%.2f", decoded)) s of the \(String(format: "%.2f", declared)) s its \(stream.container) header declares")
        }
    }

    /// Tells an MP4's layout from the first bytes of `stream`, then rewinds it; `nil` when it is not an MP4.
    private static func layout(of stream: InputStream) throws -> MP4Layout? {
        let start = stream.position
        var prefix: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var verdict: MP4Layout?
        while verdict == nil, prefix.count < 1 << 16 {
            let got = try chunk.withUnsafeMutableBytes { try stream.read(into: $0.baseAddress!, count: $0.count) }
            if got == 0 { break }
            prefix += chunk[0..<got]
            verdict = MP4Layout.of(prefix: prefix)
        }
        guard try stream.seek(to: start) else { throw AudioError("\(stream.name): cannot rewind the stream after its header") }
        return verdict == .notMP4 ? nil : verdict
    }
}
