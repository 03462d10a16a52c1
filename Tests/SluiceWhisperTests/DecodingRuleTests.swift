import Foundation
import Testing

@testable import SluiceWhisper

/// The decoding rules on hand-made logits and token sequences (no model needed).
@Suite struct DecodingRuleTests {
    static let tokens = SpecialTokens(vocabularySize: 51864)
    static let begin = tokens.timestampBegin
    let filters = LogitFilters(
        tokens: tokens, suppressed: [11, 12], suppressedAtBegin: [220, tokens.endOfText],
        maxInitialTimestampIndex: 50, withTimestamps: true)

    /// Text tokens (and end-of-text) at 0, timestamps at −10: together the timestamps stay less likely than text.
    static let textLikely = (0..<51864).map { $0 < begin ? Float(0) : -10 }

    private func allowed(after sampled: [Int], logits: [Float] = textLikely) -> Set<Int> {
        var x = logits
        filters.apply(to: &x, sampled: sampled)
        return Set(x.indices.filter { x[$0] > -.infinity })
    }

    @Test func firstTokenIsAnEarlyTimestamp() {
        let first = allowed(after: [])
        #expect(first == Set(Self.begin...(Self.begin + 50)))
    }

    @Test func suppressedTokensAndNoTimestampsNeverAppear() {
        let later = allowed(after: [Self.begin, 400])
        #expect(!later.contains(11) && !later.contains(12) && !later.contains(Self.tokens.noTimestamps))
        #expect(later.contains(220) && later.contains(Self.tokens.endOfText))
    }

    @Test func timestampsComeInPairsAndNeverGoBack() {
        // After text: text, end of text, or a timestamp after the last one.
        let afterText = allowed(after: [Self.begin + 10, 400, 401])
        #expect(afterText.contains(500) && afterText.contains(Self.tokens.endOfText))
        #expect(!afterText.contains(Self.begin + 10) && afterText.contains(Self.begin + 11))
        // After a closing timestamp: the pair is complete, text or end comes next.
        let afterClosing = allowed(after: [Self.begin, 400, Self.begin + 20])
        #expect(afterClosing.contains(Self.begin + 20))  // an opening timestamp equal to the closing one is allowed
        #expect(afterClosing.contains(Self.tokens.endOfText) && !afterClosing.contains(400))
        let afterPair = allowed(after: [Self.begin, 400, Self.begin + 20, Self.begin + 20])
        #expect(afterPair.allSatisfy { $0 < Self.begin })
    }

    @Test func likelyTimestampsForceATimestamp() {
        var logits = [Float](repeating: -10, count: 51864)
        logits[400] = 2  // the best text token…
        for token in (Self.begin + 30)..<(Self.begin + 60) { logits[token] = 0 }  // …but 30 timestamps together are likelier
        let next = allowed(after: [Self.begin, 300], logits: logits)
        #expect(next.allSatisfy { $0 >= Self.begin })
    }

    @Test func segmentsAreCutAtTimestampPairs() {
        let b = Self.begin
        let splitter = SegmentSplitter(tokens: Self.tokens)
        // Two closed segments, then an unfinished one: seek to the last closing timestamp.
        let open = splitter.split([b, 10, 11, b + 50, b + 50, 12, b + 100, b + 100, 13], timeOffset: 30, seek: 3000, segmentSize: 3000)
        #expect(open.segments.map(\.tokens) == [[b, 10, 11, b + 50], [b + 50, 12, b + 100]])
        #expect(open.segments.map(\.start) == [30, 31] && open.segments.map(\.end) == [31, 32])
        #expect(open.nextSeek == 3000 + 200)
        #expect(!open.endsWithSingleTimestamp)
        // Streaming keeps the unfinished text: a last segment that runs to the end of the window.
        let kept = splitter.split(
            [b, 10, 11, b + 50, b + 50, 12, b + 100, b + 100, 13], timeOffset: 30, seek: 3000,
            segmentSize: 3000, keepsUnfinished: true)
        #expect(kept.segments.map(\.tokens).last == [b + 100, 13] && kept.segments.last?.start == 32 && kept.segments.last?.end == 60)
        // Ending on a single timestamp: the window is done.
        let closed = splitter.split([b, 10, b + 50, b + 50, 12, b + 75], timeOffset: 0, seek: 0, segmentSize: 2400)
        #expect(closed.segments.count == 2 && closed.nextSeek == 2400 && closed.endsWithSingleTimestamp)
        // No pair: one segment up to the last timestamp.
        let single = splitter.split([b, 10, 11, b + 40], timeOffset: 5, seek: 500, segmentSize: 1000)
        #expect(single.segments.count == 1 && single.segments[0].start == 5 && abs(single.segments[0].end - 5.8) < 1e-9)
        #expect(single.nextSeek == 1500)
    }

    @Test func medianFilterReflectsAtTheEdges() {
        let filtered = WordAligner.medianFilter([5, 1, 9, 3, 7, 2, 8, 4], width: 3)
        #expect(filtered == [1, 5, 3, 7, 3, 7, 4, 8])
        #expect(WordAligner.medianFilter([1, 2], width: 7) == [1, 2])
    }

    @Test func timeWarpingFollowsTheStrongestPath() {
        // Two tokens over four frames: token 0 holds frames 0–1, token 1 frames 2–3. Ties move along time
        // first, as CTranslate2's DTW does (expected path from its algorithm, run in Python).
        let weights: [Float] = [
            1, 1, 0, 0,
            0, 0, 1, 1,
        ]
        let path = WordAligner.negativeDTW(weights, rows: 2, columns: 4)
        #expect(path.map(\.0) == [0, 0, 1, 1, 1] && path.map(\.1) == [0, 1, 1, 2, 3])
    }

    @Test func punctuationJoinsItsWord() {
        func timing(_ word: String) -> WordAligner.Timing { .init(word: word, tokens: [word.count], start: 0, end: 1, probability: 1) }
        var alignment = [" \"", "Hello", ",", " world", "!\""].map(timing)
        WordAligner.mergePunctuation(&alignment, prepended: "\"'“¿([{-", appended: "\"'.。,，!！?？:：”)]}、")
        #expect(alignment.map(\.word) == ["", " \"Hello,", "", " world", "!\""])
    }
}
