/// Where the streaming buffer is cut after a step, from the final text and the segment ends of the last
/// hypothesis (pure: no audio, no model). Times are stream seconds.
///
/// - At a pause: the last segment end that is wholly final and keeps `keptSeconds` of audio after it.
/// - A buffer longer than `trimSeconds` without such a pause (a long sentence): at a final word boundary
///   that keeps `keptSeconds`, so the words that follow still have context (the newest final segment end
///   can leave a second of audio, too little to decode the next words right).
/// - Without such a boundary: just before the end of the final text, keeping at most `trimSeconds`.
struct BufferCut {
    var bufferStart: Double
    var audioEnd: Double
    /// Final audio kept before the new words as their context (none without a forced prefix: each step
    /// would re-read it).
    var keptSeconds: Double
    var trimSeconds: Double
    /// The latest final words.
    var committed: [TimedWord]
    /// Where the last hypothesis's segments end.
    var segmentEnds: [Double]

    /// A forced cut falls this long before a word: word times are estimates, and cutting into a word's
    /// onset would garble it (a re-read final word is removed by the policy).
    static let margin = 0.3

    private var committedEnd: Double { committed.last?.end ?? 0 }

    /// The cut after an ordinary step, or nil to keep the buffer whole.
    var afterStep: Double? { afterStepWithReason?.at }

    /// The same, with which rule chose it (`pause` or `trim`).
    var afterStepWithReason: (at: Double, reason: StepTrace.Cut)? {
        let finalEnds = segmentEnds.filter { $0 > bufferStart && $0 <= committedEnd }
        if let pause = finalEnds.last(where: { $0 <= audioEnd - keptSeconds }) { return (pause, .pause) }
        return audioEnd - bufferStart > trimSeconds ? (inSentence, .trim) : nil
    }

    /// The cut of a buffer that must shrink: at a final word boundary that keeps `keptSeconds`, else just
    /// before the end of the final text but keeping no more than `trimSeconds` (steps that are all unsure,
    /// the decoder looping, make nothing final: the oldest audio then goes, or every step would encode and
    /// decode the same stretch again, more slowly as the buffer grew).
    var inSentence: Double {
        if let next = committed.firstIndex(where: { $0.start >= audioEnd - keptSeconds }), next > committed.startIndex,
            committed[next - 1].end > bufferStart
        {
            return max(committed[next - 1].end, committed[next].start - Self.margin)
        }
        return max(committedEnd - Self.margin, audioEnd - trimSeconds)
    }
}
