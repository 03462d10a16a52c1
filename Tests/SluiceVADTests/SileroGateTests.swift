import SluiceTestSupport
import SluiceVAD
import SluiceWhisper
import Testing

/// The streaming gate on Silero's probabilities, on the fixture: speech 0.6–3.6 s and 6.1–8 s, quiet noise between.
@Suite(.needsModels("silero-vad")) struct SileroGateTests {
    @Test func hearsSpeechAndPausesWhereTheFixtureHasThem() throws {
        let samples = try VADGolden.samples()
        var gate = SileroGate(network: try VADGolden.network())
        // Up to 5.5 s, in uneven pieces: speech was heard, and the last second is a pause.
        for range in [0..<1000, 1000..<40_000, 40_000..<88_000] { gate.push(Array(samples[range])) }
        #expect(gate.hearsSpeech(from: 0))
        #expect(gate.endsInPause(from: 0, seconds: 1))
        #expect(!gate.endsInPause(from: 0, seconds: 3))  // 2.5–5.5 s holds speech
        #expect(!gate.hearsSpeech(from: 4 * 16000))  // 4–5.5 s: the noise only
        // The buffer is cut at 4 s: the speech before is forgotten.
        gate.forget(before: 4 * 16000)
        #expect(!gate.hearsSpeech(from: 0))
        gate.push(Array(samples[88_000...]))
        #expect(gate.hearsSpeech(from: 4 * 16000))
        #expect(!gate.endsInPause(from: 4 * 16000, seconds: 1))
    }
}
