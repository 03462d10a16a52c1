import Foundation
import SluiceWhisper
import Testing

/// Caption-grade cues: lines within the width, cues within the line count, inside the audio, in order.
@Suite struct CueLayoutTests {
    /// A 20 s transcript: two sentences with word timings, a 2 s pause, then a segment without word timings
    /// whose last timestamp runs past the audio (as Whisper's sometimes do).
    static let transcript: Transcript = {
        let sentence = "The quick brown fox jumps over the lazy dog and keeps running far into the evening light."
        var time = 0.0
        let words = sentence.split(separator: " ").map { text -> TranscriptWord in
            defer { time += 0.3 }
            return TranscriptWord(word: " " + text, start: time, end: time + 0.25, probability: 0.9)
        }
        return Transcript(
            language: "en", task: "transcribe", duration: 20,
            segments: [
                TranscriptSegment(
                    id: 1, seek: 0, start: 0, end: time, text: " " + sentence, tokens: [], temperature: 0,
                    averageLogProbability: -0.2, compressionRatio: 1, noSpeechProbability: 0, words: words),
                TranscriptSegment(
                    id: 2, seek: 0, start: time + 2, end: 23, text: " After the pause, a long segment without word timings goes on and on.",
                    tokens: [], temperature: 0, averageLogProbability: -0.2, compressionRatio: 1, noSpeechProbability: 0),
            ])
    }()

    @Test(arguments: [(42, 2), (32, 1), (20, 3)]) func cuesKeepToTheLayout(width: Int, count: Int) {
        var layout = CueLayout()
        layout.maxLineWidth = width
        layout.maxLineCount = count
        let cues = layout.cues(for: Self.transcript)
        #expect(cues.count > 2)
        for (index, cue) in cues.enumerated() {
            #expect(cue.lines.count <= count, "\(cue)")
            #expect(cue.lines.allSatisfy { $0.count <= width }, "\(cue)")
            #expect(0 <= cue.start && cue.start < cue.end && cue.end <= Self.transcript.duration, "\(cue)")
            if index > 0 { #expect(cues[index - 1].end <= cue.start, "\(cues[index - 1]) overlaps \(cue)") }
        }
        // Every word once, in order.
        let text = cues.flatMap(\.lines).joined(separator: " ")
        #expect(text == Self.transcript.segments.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
    }

    @Test func sentencesAndPausesEndCuesAndLongSentencesSplitEvenly() {
        let cues = CueLayout().cues(for: Self.transcript)
        #expect(
            cues.map(\.lines) == [
                ["The quick brown fox", "jumps over the lazy dog"], ["and keeps running far", "into the evening light."],
                ["After the pause, a long segment", "without word timings goes on and on."],
            ])
    }

    @Test func readingSpeedLengthensACueIntoTheGapOnly() {
        var layout = CueLayout()
        layout.maxCharactersPerSecond = 10
        let cues = layout.cues(for: Self.transcript)
        let beforePause = cues.first { $0.lines.last?.hasSuffix("light.") == true }!
        let next = cues[cues.firstIndex(of: beforePause)! + 1]
        #expect(beforePause.end <= next.start)
        #expect(beforePause.end > Self.transcript.segments[0].words!.last!.end)
    }

    @Test func segmentsLayoutIsOneCueASegment() {
        let cues = CueLayout.segments.cues(for: Self.transcript)
        #expect(cues.map(\.lines.count) == [1, 1])
        #expect(cues[1].end == 20)  // clamped to the audio
    }
}
