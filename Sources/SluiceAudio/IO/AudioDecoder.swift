import Foundation

/// Decodes any audio Sluice reads, from a file or a stream: libsndfile for what it reads (WAV, FLAC,
/// Ogg Vorbis/Opus, AIFF, MP3, …), FFmpeg's libraries for everything else (M4A/AAC, MP4/MKV/WebM with
/// video, WebM/Opus, AMR, WMA, …).
///
/// - libsndfile is tried first (it kept Sluice's behaviour for the formats it reads); an input it
///   does not recognise, or finds fault with, goes to FFmpeg. A stream is rewound for FFmpeg from the
///   bytes libsndfile looked at, which `InputStream` keeps.
/// - An input neither reads is one line naming it and what is wrong with it.
public final class AudioDecoder: AudioReading, @unchecked Sendable {  // single reader; `requestStop` is thread-safe
    /// The library decoding the input.
    public enum Library: String, Sendable { case libsndfile, ffmpeg }

    public let library: Library
    private let decoder: any AudioReading

    public var sampleRate: Int { decoder.sampleRate }
    public var channels: Int { decoder.channels }
    public var name: String { decoder.name }
    public var sampleGuard: SampleGuard { decoder.sampleGuard }

    /// Opens the file at `path`.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioError("\(path): no such file")
        }
        if isDirectory.boolValue { throw AudioError("\(path): is a folder, not an audio file") }
        if (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0 {
            throw AudioError("\(path): no data (the file is empty)")
        }
        do {
            decoder = try SndFileDecoder(path: path)
            library = .libsndfile
        } catch let sndfile as SndFileDecoder.OpenFailure {
            decoder = try Self.ffmpeg(name: path, what: "file", after: sndfile) {
                try FFmpegDecoder(source: FFmpegByteSource.file(path: path))
            }
            library = .ffmpeg
        }
    }

    /// Decodes a non-seekable stream such as stdin; `name` is used in messages.
    public init(fileDescriptor: Int32, name: String) throws {
        let stream = InputStream(descriptor: fileDescriptor, name: name)
        do {
            decoder = try SndFileDecoder(stream: stream)
            library = .libsndfile
        } catch let sndfile as SndFileDecoder.OpenFailure {
            guard try stream.seek(to: 0) else {
                throw AudioError("\(name): libsndfile read more of the stream than can be rewound for FFmpeg")
            }
            decoder = try Self.ffmpeg(name: name, what: "stream", after: sndfile) { try FFmpegDecoder(stream: stream) }
            library = .ffmpeg
        }
    }

    public func read(into buffer: inout [Float], maxFrames: Int) throws -> Int {
        try decoder.read(into: &buffer, maxFrames: maxFrames)
    }

    public func requestStop() { decoder.requestStop() }

    /// FFmpeg's decoder for an input libsndfile refused; when FFmpeg refuses it too, the error says the
    /// more useful of the two reasons: FFmpeg's, unless libsndfile knew the format and FFmpeg did not.
    private static func ffmpeg(
        name: String, what: String, after sndfile: SndFileDecoder.OpenFailure, _ open: () throws -> FFmpegDecoder
    ) throws -> FFmpegDecoder {
        do {
            return try open()
        } catch FFmpegAudioStream.OpenFailure.unrecognised {
            if !sndfile.unrecognised { throw AudioError(sndfile.description) }
            throw AudioError("\(name): not an audio \(what) (neither libsndfile nor FFmpeg recognises its format)")
        } catch FFmpegAudioStream.OpenFailure.failed(let error) {
            throw error
        }
    }
}
