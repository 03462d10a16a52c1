import CFFmpeg
import Foundation

/// Where FFmpeg's demuxer gets its bytes: an open file (seekable) or an `InputStream` (stdin, a pipe:
/// forward only).
///
/// Every input goes through these callbacks, files included, and nested opens are refused: a container
/// that names other files or URLs (an HLS or concat playlist, an MOV reference) cannot make FFmpeg read
/// anything but the bytes given — which matters for the service's uploads.
final class FFmpegByteSource {
    enum Origin {
        case file(ReadOnlyFile)
        case stream(InputStream)
    }

    let origin: Origin
    let name: String
    /// Why the last read failed, when it was the input and not the data.
    private(set) var readError: AudioError?
    private let lock = NSLock()
    private var stopRequested = false

    init(origin: Origin, name: String) {
        self.origin = origin
        self.name = name
    }

    /// Opens the file at `path` for reading.
    static func file(path: String) throws -> FFmpegByteSource {
        FFmpegByteSource(origin: .file(try ReadOnlyFile(path: path)), name: path)
    }

    var isSeekable: Bool {
        if case .file = origin { return true }
        return false
    }

    /// Makes further reads report the end of the input.
    func requestStop() {
        lock.withLock { stopRequested = true }
        if case .stream(let stream) = origin { stream.requestStop() }
    }

    /// FFmpeg's read callback: bytes copied, or an FFmpeg error code (`AVERROR_EOF` at the end).
    fileprivate func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int32 {
        if lock.withLock({ stopRequested }) { return sluice_av_error_eof() }
        switch origin {
        case .file(let file):
            do {
                let got = try file.read(into: buffer, count: count)
                return got > 0 ? Int32(got) : sluice_av_error_eof()
            } catch {
                readError = error
                return sluice_av_error_io()
            }
        case .stream(let stream):
            do {
                let got = try stream.read(into: buffer, count: count)
                return got > 0 ? Int32(got) : sluice_av_error_eof()
            } catch let error as AudioError {
                readError = error
                return sluice_av_error_io()
            } catch {
                readError = AudioError("\(name): \(error)")
                return sluice_av_error_io()
            }
        }
    }

    /// FFmpeg's seek callback (files only): the new offset, the size for `AVSEEK_SIZE`, or a negative error.
    fileprivate func seek(to offset: Int64, whence: Int32) -> Int64 {
        guard case .file(let file) = origin else { return -1 }
        let whence = whence & ~Int32(AVSEEK_FORCE)
        if whence == AVSEEK_SIZE { return file.size }
        return file.seek(to: offset, whence: whence) ?? Int64(sluice_av_error_io())
    }
}

/// An `AVIOContext` over a `FFmpegByteSource`, freed with it.
final class FFmpegIO {
    let context: UnsafeMutablePointer<AVIOContext>
    private let source: Unmanaged<FFmpegByteSource>

    /// Bytes FFmpeg asks for at a time (a stream's read returns what has arrived, up to this).
    static let bufferSize = 32 * 1024

    init(source: FFmpegByteSource) throws(AudioError) {
        guard let buffer = av_malloc(Self.bufferSize)?.assumingMemoryBound(to: UInt8.self) else {
            throw AudioError("\(source.name): out of memory")
        }
        let retained = Unmanaged.passRetained(source)
        let context = avio_alloc_context(
            buffer, Int32(Self.bufferSize), 0, retained.toOpaque(),
            { opaque, buffer, count in
                guard let opaque, let buffer, count > 0 else { return sluice_av_error_eof() }
                return Unmanaged<FFmpegByteSource>.fromOpaque(opaque).takeUnretainedValue().read(into: buffer, count: Int(count))
            },
            nil,
            source.isSeekable
                ? { opaque, offset, whence in
                    Unmanaged<FFmpegByteSource>.fromOpaque(opaque!).takeUnretainedValue().seek(to: offset, whence: whence)
                } : nil)
        guard let context else {
            av_free(buffer)
            retained.release()
            throw AudioError("\(source.name): out of memory")
        }
        context.pointee.seekable = source.isSeekable ? sluice_avio_seekable_normal() : 0
        self.context = context
        self.source = retained
    }

    deinit {
        av_freep(&context.pointee.buffer)  // FFmpeg may have replaced the buffer given
        var context: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&context)
        source.release()
    }
}
