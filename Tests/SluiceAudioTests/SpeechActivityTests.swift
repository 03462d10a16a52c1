import Testing

@testable import SluiceAudio

/// The energy gate's pause and onset rules on frame energies (dBFS, 100 frames a second).
@Suite struct SpeechActivityTests {
    /// 1 s of quiet background, then 2 s of speech whose level varies less than the margin (-52 … -46 dBFS).
    private let speech: [Float] = Array(repeating: -82, count: 100) + (0..<200).map { -52 + Float($0 % 7) }

    @Test func steadySpeechIsNoPauseAgainstTheWholeSpansBackground() {
        var gate = SpeechActivity()
        gate.floorDecibels = -70
        #expect(!gate.endsInPause(speech[...], seconds: 0.8, framesPerSecond: 100))
        // Judged against their own background, the last 0.8 s would have looked like a pause.
        #expect(!gate.containsSpeech(speech.suffix(80), framesPerSecond: 100))
    }

    @Test func aQuietEndIsAPause() {
        let paused = speech + Array(repeating: -81, count: 90)
        #expect(SpeechActivity().endsInPause(paused[...], seconds: 0.8, framesPerSecond: 100))
        #expect(!SpeechActivity().endsInPause(paused.suffix(100), seconds: 0.8, framesPerSecond: 100), "too short to tell")
    }

    @Test func theOnsetIsTheFirstFrameAboveTheThreshold() {
        var gate = SpeechActivity()
        gate.floorDecibels = -70
        #expect(gate.speechOnset(speech[...]) == 100)
        #expect(gate.speechOnset(speech[50...]) == 50, "counted from the span's start")
        #expect(gate.speechOnset(speech.prefix(100)) == nil, "background only")
    }
}
