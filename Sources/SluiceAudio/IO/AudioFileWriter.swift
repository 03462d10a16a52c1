import CSndFile
import Foundation
import SluiceFiles

/// Writes interleaved float audio as WAV or FLAC.
///
/// - To a path: written under a temporary name beside it (`AtomicFile`) and renamed by `finish()`;
///   `abort()` removes it, so no half-written file ever appears.
/// - To a descriptor (stdout): WAV streamed with unknown sizes (0xFFFFFFFF), as SoX and FFmpeg do
///   on pipes. FLAC needs a seekable file.
/// - Integer formats scale by 2^(bits−1), round and clip, so 16-bit input passes through exactly.
public final class AudioFileWriter {
    /// The file format.
    public enum Container: Sendable { case wav, flac }

    /// The sample encoding.
    public enum SampleFormat: Sendable {
        case pcm16, pcm24, float32

        var bytesPerSample: Int {
            switch self {
            case .pcm16: 2
            case .pcm24: 3
            case .float32: 4
            }
        }
    }

    private enum Target {
        case wavFile(AtomicFile)
        case wavStream(Int32)
        case flac(AtomicFile, OpaquePointer)
    }

    public let name: String
    private let target: Target
    private let sampleFormat: SampleFormat
    private let channels: Int
    private let sampleRate: Int
    private var dataBytes: Int64 = 0
    private var bytes: [UInt8] = []
    private var closed = false

    /// Creates the file at `path` (under a temporary name until `finish()`).
    public init(path: String, container: Container, sampleFormat: SampleFormat, sampleRate: Int, channels: Int) throws {
        name = path
        self.sampleFormat = sampleFormat
        self.sampleRate = sampleRate
        self.channels = channels
        let file = try AtomicFile(path: path)
        switch container {
        case .wav:
            target = .wavFile(file)
        case .flac:
            guard sampleFormat != .float32 else {
                file.discard()
                throw AudioError("\(path): FLAC stores integer samples; use sample_format s16 or s24")
            }
            var info = SF_INFO()
            info.samplerate = Int32(sampleRate)
            info.channels = Int32(channels)
            info.format = Int32(SF_FORMAT_FLAC) | Int32(sampleFormat == .pcm24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16)
            let handle: OpaquePointer
            do throws(SndFileOpening.Failure) {
                // libsndfile owns a duplicate: it closes the descriptor it was given on a failed open even
                // when told not to (1.2.0), and the atomic file closes its own.
                let duplicate = fcntl(file.descriptor, F_DUPFD_CLOEXEC, 0)
                guard duplicate >= 0 else { throw SndFileOpening.Failure(message: String(cString: strerror(errno)), code: 0) }
                handle = try SndFileOpening.open { sf_open_fd(duplicate, Int32(SFM_WRITE), &info, 1) }
            } catch {
                file.discard()
                throw AudioError("\(path): cannot write FLAC: \(error.message)")
            }
            sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
            target = .flac(file, handle)
        }
        if case .wavFile(let file) = target {
            try header(sizesKnown: false).withUnsafeBytes { try file.write($0) }
        }
    }

    /// Streams WAV to an open descriptor such as stdout.
    public init(fileDescriptor: Int32, container: Container, sampleFormat: SampleFormat, sampleRate: Int, channels: Int) throws {
        guard container == .wav else { throw AudioError("stdout: FLAC cannot be streamed; write it to a file") }
        name = "stdout"
        self.sampleFormat = sampleFormat
        self.sampleRate = sampleRate
        self.channels = channels
        target = .wavStream(fileDescriptor)
        try header(sizesKnown: false).withUnsafeBytes { try FileDescriptor.writeAll(fileDescriptor, $0, name: name) }
    }

    deinit { abort() }

    /// Appends interleaved samples (a whole number of frames).
    public func write(_ samples: [Float]) throws {
        if case .flac(_, let handle) = target {
            let frames = samples.count / channels
            let written = samples.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, Int64(frames)) }
            guard written == frames else { throw AudioError("\(name): FLAC write failed: \(String(cString: sf_strerror(handle)))") }
            return
        }
        encode(samples)
        let count = samples.count * sampleFormat.bytesPerSample
        guard dataBytes + Int64(count) <= 0xFFFF_FFFF - 36 else {
            throw AudioError("\(name): WAV cannot hold more than 4 GiB of audio; write FLAC instead")
        }
        switch target {
        case .wavFile(let file): try bytes.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        case .wavStream(let descriptor):
            try bytes.withUnsafeBytes { try FileDescriptor.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: $0[0..<count]), name: name) }
        case .flac: break
        }
        dataBytes += Int64(count)
    }

    /// Completes the output: final sizes in the header, then the rename into place.
    public func finish() throws {
        guard !closed else { return }
        closed = true
        switch target {
        case .wavFile(let file):
            try header(sizesKnown: true).withUnsafeBytes { try file.write($0, at: 0) }
            try file.commit()
        case .wavStream:
            break
        case .flac(let file, let handle):
            guard sf_close(handle) == 0 else {
                file.discard()
                throw AudioError("\(name): cannot finish FLAC")
            }
            try file.commit()
        }
    }

    /// Discards a partial file output (stdout cannot be taken back).
    public func abort() {
        guard !closed else { return }
        closed = true
        switch target {
        case .wavFile(let file): file.discard()
        case .wavStream: break
        case .flac(let file, let handle):
            sf_close(handle)
            file.discard()
        }
    }

    // MARK: - Encoding

    private func encode(_ samples: [Float]) {
        let count = samples.count * sampleFormat.bytesPerSample
        if bytes.count < count { bytes = [UInt8](repeating: 0, count: count) }
        bytes.withUnsafeMutableBytes { out in
            switch sampleFormat {
            case .pcm16:
                for (i, sample) in samples.enumerated() {
                    let value = Int16(max(-32768, min(32767, (sample * 32768).rounded())))
                    out.storeBytes(of: value.littleEndian, toByteOffset: i * 2, as: Int16.self)
                }
            case .pcm24:
                for (i, sample) in samples.enumerated() {
                    let value = Int32(max(-8_388_608, min(8_388_607, (sample * 8_388_608).rounded())))
                    out[i * 3] = UInt8(truncatingIfNeeded: value)
                    out[i * 3 + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    out[i * 3 + 2] = UInt8(truncatingIfNeeded: value >> 16)
                }
            case .float32:
                for (i, sample) in samples.enumerated() {
                    out.storeBytes(of: sample.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
                }
            }
        }
    }

    /// The 44-byte canonical WAV header; sizes are 0xFFFFFFFF until known.
    private func header(sizesKnown: Bool) -> [UInt8] {
        var header: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header += $0 } }
        let bytesPerSample = sampleFormat.bytesPerSample
        header += Array("RIFF".utf8)
        append(sizesKnown ? UInt32(36 + dataBytes) : UInt32.max)
        header += Array("WAVEfmt ".utf8)
        append(UInt32(16))
        append(UInt16(sampleFormat == .float32 ? 3 : 1))
        append(UInt16(channels))
        append(UInt32(sampleRate))
        append(UInt32(sampleRate * channels * bytesPerSample))
        append(UInt16(channels * bytesPerSample))
        append(UInt16(bytesPerSample * 8))
        header += Array("data".utf8)
        append(sizesKnown ? UInt32(dataBytes) : UInt32.max)
        return header
    }
}
