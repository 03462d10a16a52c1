import Testing

@testable import SluiceWhisper

/// Where the streaming buffer is cut (no model): synthetic final words and segment ends.
@Suite struct BufferCutTests {
    /// Final words of 0.4 s, one every 0.5 s from `start` to `end`.
    private func finalWords(from start: Double, to end: Double) -> [TimedWord] {
        stride(from: start, to: end, by: 0.5).map { TimedWord(word: " w", start: $0, end: $0 + 0.4) }
    }

    private func cut(bufferStart: Double = 0, audioEnd: Double, committed: [TimedWord], segmentEnds: [Double]) -> BufferCut {
        BufferCut(
            bufferStart: bufferStart, audioEnd: audioEnd, keptSeconds: 10, trimSeconds: 15,
            committed: committed, segmentEnds: segmentEnds)
    }

    /// Whether a cut falls at `seconds` (to rounding).
    private func isAt(_ position: Double?, _ seconds: Double) -> Bool { position.map { abs($0 - seconds) < 1e-9 } ?? false }

    @Test func aShortBufferIsKeptWhole() {
        #expect(cut(audioEnd: 9, committed: finalWords(from: 0, to: 8), segmentEnds: [4, 8.4]).afterStep == nil)
    }

    @Test func aFinalPauseThatKeepsTheContextIsWhereTheBufferIsCut() {
        // Segments end at 4 and 8.4 s: only 4 s keeps 10 s of audio after it.
        #expect(cut(audioEnd: 14.5, committed: finalWords(from: 0, to: 13), segmentEnds: [4, 8.4, 13.4]).afterStep == 4)
        // A segment end whose words are not all final is no place to cut.
        #expect(cut(audioEnd: 14.5, committed: finalWords(from: 0, to: 3), segmentEnds: [4]).afterStep == nil)
    }

    @Test func aLongSentenceIsCutAtAWordThatKeepsTheContext() {
        // 16 s of one sentence, final up to 15.4 s, whose only segment end is its last word's: cutting there
        // would leave the next words 0.6 s of audio. The cut falls at a word boundary 10 s back.
        let position = cut(audioEnd: 16, committed: finalWords(from: 0, to: 15.5), segmentEnds: [15.4]).afterStep
        #expect(isAt(position, 5.9), "cut at \(String(describing: position))")
    }

    @Test func withoutAFinalWordToCutAtTheBufferKeepsTheTrim() {
        // Nothing final (a decoder looping): the oldest audio goes, keeping 15 s.
        #expect(isAt(cut(audioEnd: 16, committed: [], segmentEnds: []).afterStep, 1))
        // Final text ending long ago: cut just before its end, but keep no more than 15 s.
        #expect(isAt(cut(audioEnd: 16, committed: finalWords(from: 0, to: 4), segmentEnds: []).afterStep, 3.6))
    }

    @Test func aPauseBetweenWordsIsCutJustBeforeTheNextWord() {
        // Final words up to 4.9 s, a 5 s pause without a segment end, final words again from 10 s.
        let committed = finalWords(from: 0, to: 5) + finalWords(from: 10, to: 15)
        #expect(isAt(cut(audioEnd: 16, committed: committed, segmentEnds: []).afterStep, 9.7))
    }
}
