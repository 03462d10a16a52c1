import Foundation
import FuzzSupport
import SluiceAudio

/// Audio files and streams through libsndfile and FFmpeg (`AudioDecoder`): the input is a whole file, decoded once by path and
/// once through the stream reader's virtual I/O (the stdin path), each read to its end or to an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudioFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = ScratchFile.write(FuzzInput(data, size).bytes)
    if let decoder = try? AudioDecoder(path: path) { drain(decoder) }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor >= 0 {
        if let decoder = try? AudioDecoder(fileDescriptor: descriptor, name: "stdin") { drain(decoder) }
        close(descriptor)
    }
    return 0
}

/// Reads until the end, an error, or a bound (a tiny compressed file may expand to hours of audio).
func drain(_ reader: some AudioReading) {
    expect(reader.sampleRate > 0 && reader.channels > 0, "a decoder opened with \(reader.sampleRate) Hz, \(reader.channels) channels")
    var buffer: [Float] = []
    var total = 0
    while total < 1 << 18 {
        guard let frames = try? reader.read(into: &buffer, maxFrames: 1024), frames > 0 else { return }
        expect(frames <= 1024 && buffer.count >= frames * reader.channels, "read returned \(frames) frames into \(buffer.count) samples")
        total += frames
    }
}
