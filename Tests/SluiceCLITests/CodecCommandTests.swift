import Foundation
import SluiceAudio
import Testing

/// `sluice codec encode|decode|info` and the codec pipelines end to end.
@Suite struct CodecCommandTests {
    static let sample = "Samples/1089-134686-0001.flac"
    /// 52 400 samples at 16 kHz: 164 frames of 320 (the last one zero-padded).
    static let frames = 164

    static func encodeSample(to folder: URL) throws -> String {
        let codes = folder.appendingPathComponent("speech.sluc").path
        let result = try SluiceProcess.run(["codec", "encode", sample, "-o", codes])
        #expect(result.status == 0, "\(result.stderr)")
        return codes
    }

    @Test func encodeInfoDecode() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let codes = try Self.encodeSample(to: folder)
        // 28-byte header, 3 full chunks of 50 frames and one of 14 (2 + 250 or 70 bytes + 4), 10-byte trailer.
        let size = try FileManager.default.attributesOfItem(atPath: codes)[.size] as? Int
        #expect(size == 28 + 3 * 256 + 76 + 10)

        let info = try SluiceProcess.run(["codec", "info", codes])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdoutText.contains("frames: \(Self.frames)\n"))
        #expect(info.stdoutText.contains("quantizer: 2 groups × 2 levels × 1024 codes (10 bits)"))
        #expect(info.stdoutText.contains("bitrate: 2000 bit/s codes"))

        let wav = folder.appendingPathComponent("decoded.wav").path
        let decode = try SluiceProcess.run(["codec", "decode", codes, "-o", wav])
        #expect(decode.status == 0, "\(decode.stderr)")
        let decoded = try RunCommandTests.decode(wav)
        #expect(decoded.rate == 16000 && decoded.channels == 1)
        #expect(decoded.samples.count == Self.frames * 320)
        let energy = decoded.samples.reduce(0) { $0 + $1 * $1 }
        #expect(energy > 1, "the decoded speech is not silence")
    }

    @Test func pipelinesThroughPipesMatchTheCommands() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let codes = try Self.encodeSample(to: folder)
        let piped = try SluiceProcess.run(["run", "Pipelines/codec-encode.yaml", "-i", Self.sample, "-o", "-"])
        #expect(piped.status == 0, "\(piped.stderr)")
        // A live stream leaves the header's frame count unknown; everything after the header is identical.
        let file = try Data(contentsOf: URL(fileURLWithPath: codes))
        #expect(piped.stdout.count == file.count)
        #expect(piped.stdout.dropFirst(28) == file.dropFirst(28))
        #expect(Array(piped.stdout[24..<28]) == [0xFF, 0xFF, 0xFF, 0xFF])

        let streamedWav = folder.appendingPathComponent("streamed.wav").path
        let decode = try SluiceProcess.run(["run", "Pipelines/codec-decode.yaml", "-i", "-", "-o", streamedWav], stdin: piped.stdout)
        #expect(decode.status == 0, "\(decode.stderr)")
        let roundTripWav = folder.appendingPathComponent("roundtrip.wav").path
        let roundTrip = try SluiceProcess.run(["run", "Pipelines/codec-roundtrip.yaml", "-i", Self.sample, "-o", roundTripWav])
        #expect(roundTrip.status == 0, "\(roundTrip.stderr)")
        // Packets of another size take other BLAS paths: the same audio, within one 16-bit step.
        let streamed = try RunCommandTests.decode(streamedWav).samples, direct = try RunCommandTests.decode(roundTripWav).samples
        #expect(streamed.count == direct.count)
        #expect(zip(streamed, direct).allSatisfy { abs($0 - $1) <= 1.5 / 32768 })
    }

    @Test func truncatedAndForeignFilesAreRejected() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let codes = try Self.encodeSample(to: folder)
        let truncated = folder.appendingPathComponent("cut.sluc")
        try Data(contentsOf: URL(fileURLWithPath: codes)).prefix(300).write(to: truncated)
        let wav = folder.appendingPathComponent("out.wav").path

        let cut = try SluiceProcess.run(["codec", "decode", truncated.path, "-o", wav])
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("truncated .sluc file: it ends at byte 300, before the codes of frames 50..<100"), "\(cut.stderr)")
        #expect(!FileManager.default.fileExists(atPath: wav), "a failed decode leaves no output")

        let foreign = try SluiceProcess.run(["codec", "info", Self.sample])
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("not a .sluc file (starts with \"fLaC\""), "\(foreign.stderr)")
        let foreignDecode = try SluiceProcess.run(["codec", "decode", Self.sample, "-o", wav])
        #expect(foreignDecode.status == 1)
        #expect(foreignDecode.stderr.contains("\(Self.sample): not a .sluc file"), "\(foreignDecode.stderr)")
    }

    @Test func codesIntoAudioStageIsAConfigurationError() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let pipeline = folder.appendingPathComponent("bad.yaml")
        try """
        version: 1
        input: { type: audio, path: "-" }
        stages:
          - { id: decode, type: codec.decode }
        output: { type: audio, path: "-" }
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let result = try SluiceProcess.run(["run", pipeline.path, "-i", Self.sample, "-o", "-"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("needs codec codes"), "\(result.stderr)")
    }
}
