import Foundation
import SluiceAudio
import Testing

/// Every reader passes samples through `SampleGuard`: NaN and infinity are errors naming the sample, finite
/// values beyond full scale are clipped and counted.
@Suite struct SampleGuardTests {
    @Test func clipsAndCountsBeyondFullScale() throws {
        var sampleGuard = SampleGuard()
        var samples: [Float] = [0.5, 3e38, -1e20, -1, 1, 0]
        try sampleGuard.check(&samples, count: samples.count, channels: 1, frame: 100, input: "x.wav")
        #expect(samples == [0.5, 1, -1, -1, 1, 0])
        #expect(sampleGuard.clipped == 2 && sampleGuard.firstClippedFrame == 101)
        #expect(sampleGuard.warning(input: "x.wav")?.contains("2 samples outside [-1, 1] clipped to full scale (the first at sample 101)") == true)
        #expect(SampleGuard().warning(input: "x.wav") == nil)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteSamplesNameTheFrameAndChannel(value: Float) throws {
        var sampleGuard = SampleGuard()
        var samples: [Float] = [0, 0, 0, value]
        #expect {
            try sampleGuard.check(&samples, count: 4, channels: 2, frame: 10, input: "x.wav")
        } throws: { error in
            "\(error)" == "x.wav: sample 11, channel 2 is \(value), not a finite number"
        }
    }

    /// A float WAV with one 3e38 sample (what crashed the server) and one with a NaN, through libsndfile.
    @Test func floatWavWithOneHostileSample() throws {
        let folder = try FixtureFiles.temporaryFolder()
        func wav(_ name: String, spike: Float) throws -> String {
            let path = folder.appendingPathComponent(name).path
            var samples = [Float](repeating: 0.1, count: 16000)
            samples[8000] = spike
            let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .float32, sampleRate: 16000, channels: 1)
            try writer.write(samples)
            try writer.finish()
            return path
        }
        let spiked = try AudioDecoder(path: wav("spike.wav", spike: 3e38))
        let samples = try AudioIOTests.readAll(spiked, chunk: 4096)
        #expect(samples.count == 16000 && samples[8000] == 1 && samples.allSatisfy { abs($0) <= 1 })
        #expect(spiked.sampleGuard.clipped == 1)

        let nan = try wav("nan.wav", spike: .nan)
        #expect {
            _ = try AudioIOTests.readAll(AudioDecoder(path: nan), chunk: 4096)
        } throws: { error in
            "\(error)" == "\(nan): sample 8000 is nan, not a finite number"
        }
    }

    @Test func rawFloatPCMIsGuardedToo() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let path = folder.appendingPathComponent("a.f32").path
        let floats: [Float] = [0.5, .infinity, 0]
        _ = FileManager.default.createFile(atPath: path, contents: floats.withUnsafeBytes { Data($0) })
        #expect {
            _ = try AudioIOTests.readAll(RawPCMReader(path: path, encoding: .f32le, sampleRate: 8000, channels: 1))
        } throws: { error in
            "\(error)" == "\(path): sample 1 is inf, not a finite number"
        }
    }
}
