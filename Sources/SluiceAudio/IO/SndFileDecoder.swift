import CSndFile
import Foundation

/// Decodes any format libsndfile reads (WAV, FLAC, OGG/Vorbis/Opus, AIFF, MP3, …) from a file or a stream.
///
/// - Files are opened by path; a file shorter than its header promises is reported as truncated.
/// - Streams (stdin, pipes) go through libsndfile's virtual I/O over an `InputStream`, which keeps a
///   bounded history so that header sniffing can seek back; nothing is read ahead of need.
/// - `AudioDecoder` tries it first and hands what it does not recognise to `FFmpegDecoder`.
public final class SndFileDecoder: AudioReading, @unchecked Sendable {  // single reader; `requestStop` is thread-safe
    public let sampleRate: Int
    public let channels: Int
    public let name: String
    /// Frames the header declares, when it declares a real length.
    public let declaredFrames: Int64?
    private let file: OpaquePointer
    private let stream: InputStream?
    /// What libsndfile's virtual I/O reads (a `ReadOnlyFile` or the `InputStream`), released with the decoder.
    private let ioBox: Unmanaged<AnyObject>
    private var framesRead: Int64 = 0
    public private(set) var sampleGuard = SampleGuard()
    private let truncation: String?
    private let lock = NSLock()
    private var stopRequested = false

    /// Why libsndfile could not open an input.
    public struct OpenFailure: Error, CustomStringConvertible {
        /// The line to show: the input's name and libsndfile's reason.
        public var description: String
        /// libsndfile did not recognise the format at all (rather than finding fault with one it knows).
        public var unrecognised: Bool
    }

    /// Opens the file at `path`.
    ///
    /// The format is told from the header only: libsndfile reads the open file through virtual I/O, not by
    /// its name, from which it would guess (letting its MP3 decoder loose on any bytes named `.mp3`), and
    /// never holds the descriptor (its `sf_open_fd` closes it on a failed open even when told not to, which
    /// made a second `close` hit another thread's file).
    /// - Throws: `OpenFailure` when libsndfile cannot open it, `AudioError` when the header is invalid.
    public init(path: String) throws {
        name = path
        let source = try ReadOnlyFile(path: path)
        let box = Unmanaged.passRetained(source as AnyObject)
        var io = SF_VIRTUAL_IO(
            get_filelen: { user in SndFileDecoder.fileSource(user).size },
            seek: { offset, whence, user in SndFileDecoder.fileSource(user).seek(to: offset, whence: whence) ?? -1 },
            read: { pointer, count, user in
                guard let pointer else { return 0 }
                return Int64((try? SndFileDecoder.fileSource(user).read(into: pointer, count: Int(count))) ?? 0)  // an error reads as the end
            },
            write: { _, _, _ in 0 },
            tell: { user in SndFileDecoder.fileSource(user).position })
        var info = SF_INFO()
        let file: OpaquePointer
        do {
            file = try SndFileOpening.open { sf_open_virtual(&io, Int32(SFM_READ), &info, box.toOpaque()) }
        } catch {
            box.release()
            throw Self.openFailure(error, name: path, what: "file")
        }
        self.file = file
        stream = nil
        ioBox = box
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        declaredFrames = Self.knownLength(info.frames, channels: Int(info.channels))
        truncation = Self.truncation(in: Self.log(of: file))
        try checkFormat()
    }

    /// Decodes a non-seekable stream such as stdin; `name` is used in messages.
    /// - Throws: `OpenFailure` when libsndfile cannot open it, `AudioError` when the header is invalid.
    public convenience init(fileDescriptor: Int32, name: String) throws {
        try self.init(stream: InputStream(descriptor: fileDescriptor, name: name))
    }

    /// Decodes `stream` from its start, reading only what the header needs until the first read.
    init(stream: InputStream) throws {
        name = stream.name
        // A piped file arrives whole at once: knowing its length keeps libsndfile's header parser from scanning
        // past the end forever (a 167-byte WAV on stdin spun it at 100% CPU; Fuzz/Corpus/audio-file/wav-resync-at-end).
        try stream.prefetch(upTo: 1 << 16, waiting: .milliseconds(50))
        let box = Unmanaged.passRetained(stream as AnyObject)
        var io = SF_VIRTUAL_IO(
            get_filelen: { user in
                let stream = SndFileDecoder.stream(user)
                return stream.reachedEnd ? stream.received : Int64.max
            },
            seek: { offset, whence, user in
                let stream = SndFileDecoder.stream(user)
                let target: Int64
                switch whence {
                case SEEK_SET: target = offset
                case SEEK_CUR: target = stream.position + offset
                default: return -1
                }
                return ((try? stream.seek(to: target)) ?? false) ? stream.position : -1
            },
            read: { pointer, count, user in
                let stream = SndFileDecoder.stream(user)
                var total = 0
                while total < Int(count) {
                    guard let got = try? stream.read(into: pointer! + total, count: Int(count) - total), got > 0 else { break }
                    total += got
                }
                return Int64(total)
            },
            write: { _, _, _ in 0 },
            tell: { user in SndFileDecoder.stream(user).position })
        var info = SF_INFO()
        let file: OpaquePointer
        do {
            file = try SndFileOpening.open { sf_open_virtual(&io, Int32(SFM_READ), &info, box.toOpaque()) }
        } catch {
            box.release()
            if stream.received == 0 { throw AudioError("\(name): no data (the input is empty)") }
            throw Self.openFailure(error, name: name, what: "stream")
        }
        self.file = file
        self.stream = stream
        ioBox = box
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        declaredFrames = Self.knownLength(info.frames, channels: Int(info.channels))
        truncation = nil
        try checkFormat()
    }

    deinit {
        sf_close(file)
        ioBox.release()
    }

    public func read(into buffer: inout [Float], maxFrames: Int) throws -> Int {
        if lock.withLock({ stopRequested }) { return 0 }
        let needed = maxFrames * channels
        if buffer.count < needed { buffer = [Float](repeating: 0, count: needed) }
        let frames = buffer.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, Int64(maxFrames)) }
        try sampleGuard.check(&buffer, count: Int(frames) * channels, channels: channels, frame: framesRead, input: name)
        framesRead += frames
        if frames < maxFrames {
            let code = sf_error(file)
            if code != 0 {
                // A stream that ended before the frames its header declares is cut, whatever the decoder made of the cut.
                if let declaredFrames, framesRead < declaredFrames, stream?.reachedEnd == true {
                    throw AudioError("\(name): truncated at sample \(framesRead) of \(declaredFrames) the header declares")
                }
                throw AudioError("\(name): decoding failed at sample \(framesRead): \(SndFileOpening.reason(file))")
            }
            if frames == 0, !lock.withLock({ stopRequested }) {
                if let truncation { throw AudioError("\(name): truncated at sample \(framesRead): \(truncation)") }
                if let declaredFrames, framesRead < declaredFrames {
                    throw AudioError("\(name): truncated at sample \(framesRead) of \(declaredFrames) the header declares")
                }
            }
        }
        return Int(frames)
    }

    public func requestStop() {
        lock.withLock { stopRequested = true }
        stream?.requestStop()
    }

    // MARK: - Helpers

    private static func fileSource(_ user: UnsafeMutableRawPointer?) -> ReadOnlyFile {
        Unmanaged<AnyObject>.fromOpaque(user!).takeUnretainedValue() as! ReadOnlyFile
    }

    private static func stream(_ user: UnsafeMutableRawPointer?) -> InputStream {
        Unmanaged<AnyObject>.fromOpaque(user!).takeUnretainedValue() as! InputStream
    }

    private func checkFormat() throws {
        guard sampleRate > 0, channels > 0 else {
            throw AudioError("\(name): invalid header (\(sampleRate) Hz, \(channels) channels)")
        }
    }

    private static func openFailure(_ failure: SndFileOpening.Failure, name: String, what: String) -> OpenFailure {
        OpenFailure(
            description: "\(name): not an audio \(what) libsndfile can read (\(failure.message))",
            unrecognised: failure.code == Int32(SF_ERR_UNRECOGNISED_FORMAT))
    }

    private static func log(of file: OpaquePointer) -> String {
        var text = [CChar](repeating: 0, count: 4096)
        sf_command(file, Int32(SFC_GET_LOG_INFO), &text, Int32(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The frame count a header declares, or `nil` when it is unknown: 0, libsndfile's "unknown"
    /// (Int64.max), or the 0xFFFFFFFF-byte size that streaming WAV writers put in on purpose.
    private static func knownLength(_ frames: Int64, channels: Int) -> Int64? {
        guard frames > 0, frames < Int64.max / 4, frames.multipliedReportingOverflow(by: Int64(channels * 2)).partialValue < 0xFFFF_0000
        else { return nil }
        return frames
    }

    /// libsndfile logs "data : N (should be M)" when a file holds less audio than its header says;
    /// streaming writers put 0 or 0xFFFFFFFF there on purpose, which is not truncation.
    private static func truncation(in log: String) -> String? {
        for line in log.split(separator: "\n") where line.hasPrefix("data") && line.contains("should be") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
            guard numbers.count >= 2, numbers[0] != 0, numbers[0] < 0xFFFF_FF00 else { return nil }
            return "the header promises \(numbers[0]) bytes of audio, the file holds \(numbers[1])"
        }
        return nil
    }
}
