import Foundation
import FuzzSupport
import SluiceAudio

/// Raw PCM files (`RawPCMReader`): the first byte picks the encoding (bit 0) and channel count (bits 1–3, 1–8); the
/// rest is the file, read to its end or to an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRawPCM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let settings = input.byte()
    let encoding: RawPCMReader.Encoding = settings & 1 == 0 ? .s16le : .f32le
    let channels = 1 + Int(settings >> 1 & 7)
    let path = ScratchFile.write(input.bytes)
    guard let reader = try? RawPCMReader(path: path, encoding: encoding, sampleRate: 16000, channels: channels) else { return 0 }
    let width = encoding == .s16le ? 2 : 4
    var buffer: [Float] = []
    var total = 0
    while true {
        guard let frames = try? reader.read(into: &buffer, maxFrames: 1 + Int(settings >> 4) * 37), frames > 0 else { break }
        expect(buffer.count >= frames * channels, "read returned \(frames) frames into \(buffer.count) samples")
        total += frames
    }
    expect(total * channels * width <= input.bytes.count, "read \(total) frames from \(input.bytes.count) bytes")
    return 0
}
