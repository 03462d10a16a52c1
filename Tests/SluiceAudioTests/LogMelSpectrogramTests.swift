import Foundation
import SluiceAudio
import Testing

@Suite struct LogMelSpectrogramTests {
    /// The reference definition (NumPy + librosa filters, see Fixtures/make_logmel_fixture.py).
    @Test func matchesTheReferenceWithin1e4() throws {
        let input = try FixtureFiles.floats("logmel_input.f32")
        let expected = try FixtureFiles.floats("logmel_expected.f32")
        let spectrogram = LogMelSpectrogram(nMels: 80)
        var values = spectrogram.push(input) + spectrogram.finish()
        WhisperMelNormalization.normalize(&values)
        #expect(values.count == input.count / 160 * 80)
        #expect(values.count == expected.count)
        let maxError = zip(values, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(maxError < 1e-4, "max abs error \(maxError)")
    }

    @Test(arguments: [1, 7, 160, 201, 399, 4096])
    func anyChunkingGivesIdenticalFrames(chunk: Int) throws {
        let input = try FixtureFiles.floats("logmel_input.f32")
        let whole = LogMelSpectrogram()
        let reference = whole.push(input) + whole.finish()
        let streaming = LogMelSpectrogram()
        var values: [Float] = []
        var start = 0
        while start < input.count {
            values += streaming.push(Array(input[start..<min(input.count, start + chunk)]))
            start += chunk
        }
        values += streaming.finish()
        #expect(values == reference)
    }

    @Test(arguments: [0, 100, 159, 160, 200, 201, 320, 481])
    func frameCountIsSamplesOverHop(samples: Int) {
        let input = (0..<samples).map { Float(sin(Double($0) * 0.05)) }
        let spectrogram = LogMelSpectrogram()
        let values = spectrogram.push(input) + spectrogram.finish()
        #expect(values.count == samples / 160 * 80)
        #expect(values.allSatisfy { $0.isFinite })
    }
}
