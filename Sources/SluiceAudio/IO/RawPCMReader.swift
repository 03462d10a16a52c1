import Foundation

/// Raw interleaved PCM (`s16le` or `f32le`) from a file or a stream, with a known rate and channel count.
public final class RawPCMReader: AudioReading, @unchecked Sendable {  // single reader; `requestStop` is thread-safe
    /// The sample encoding.
    public enum Encoding: String, Sendable {
        case s16le, f32le

        var bytesPerSample: Int { self == .s16le ? 2 : 4 }
    }

    public let sampleRate: Int
    public let channels: Int
    public let name: String
    private let encoding: Encoding
    private let stream: InputStream
    private let ownsDescriptor: Bool
    private var bytes: [UInt8] = []
    private var framesRead: Int64 = 0
    public private(set) var sampleGuard = SampleGuard()

    /// Reads raw PCM from a stream such as stdin.
    public convenience init(fileDescriptor: Int32, name: String, encoding: Encoding, sampleRate: Int, channels: Int) {
        self.init(descriptor: fileDescriptor, owned: false, name: name, encoding: encoding, sampleRate: sampleRate, channels: channels)
    }

    /// Reads raw PCM from the file at `path`.
    public convenience init(path: String, encoding: Encoding, sampleRate: Int, channels: Int) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AudioError("\(path): \(String(cString: strerror(errno)))") }
        self.init(descriptor: descriptor, owned: true, name: path, encoding: encoding, sampleRate: sampleRate, channels: channels)
    }

    private init(descriptor: Int32, owned: Bool, name: String, encoding: Encoding, sampleRate: Int, channels: Int) {
        self.name = name
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
        stream = InputStream(descriptor: descriptor, name: name, historyLimit: 1 << 16)
        ownsDescriptor = owned
    }

    deinit {
        if ownsDescriptor { close(stream.descriptor) }
    }

    /// Returns the whole frames available now (at least one, waiting if needed), 0 at end of stream.
    public func read(into buffer: inout [Float], maxFrames: Int) throws -> Int {
        let frameBytes = encoding.bytesPerSample * channels
        let capacity = maxFrames * frameBytes
        if bytes.count < capacity { bytes = [UInt8](repeating: 0, count: capacity) }
        var filled = 0
        // Return as soon as the bytes so far end on a frame boundary: live input is not held back.
        repeat {
            let got = try bytes.withUnsafeMutableBytes { try stream.read(into: $0.baseAddress! + filled, count: capacity - filled) }
            if got == 0 { break }
            filled += got
        } while filled % frameBytes != 0 && filled < capacity
        let frames = filled / frameBytes
        if filled % frameBytes != 0 {
            throw AudioError(
                "\(name): the input ends with \(filled % frameBytes) bytes that do not make a whole frame "
                    + "(\(frameBytes) bytes per frame: \(channels) × \(encoding.rawValue)) after sample \(framesRead + Int64(frames))")
        }
        if frames == 0 {
            if framesRead == 0 && stream.received == 0 { throw AudioError("\(name): no data (the input is empty)") }
            return 0
        }
        let samples = frames * channels
        if buffer.count < samples { buffer = [Float](repeating: 0, count: samples) }
        bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                switch encoding {
                case .s16le:
                    for i in 0..<samples {
                        out[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))) / 32768
                    }
                case .f32le:
                    for i in 0..<samples {
                        out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
            }
        }
        if encoding == .f32le { try sampleGuard.check(&buffer, count: samples, channels: channels, frame: framesRead, input: name) }
        framesRead += Int64(frames)
        return frames
    }

    public func requestStop() { stream.requestStop() }
}
