import Foundation
import SluiceAudio
import SluiceVAD

/// Streaming transcription: audio in as it arrives, partial and final words out (LocalAgreement-n over
/// Whisper decoding a growing buffer). Synchronous and single-stream; the stage adapts it to the engine.
///
/// Each step (every `stepSeconds` of new audio, or as much audio as the last step took to decode):
/// 1. the speech gate looks at the buffer; without speech activity nothing is decoded and silence is dropped;
/// 2. the buffer (at most 30 s) is encoded (``StreamingFrontEnd``) — padded to a full window, or only its
///    own frames and some silence — and decoded with word timestamps, prompted with the final text before the
///    buffer; the final words in the buffer are forced as the start of the text (`forcedPrefix`), so only new
///    words are decoded;
/// 3. unsure or repetitive results are rejected (no-speech and log-probability gate, compression ratio,
///    repeated n-grams, a cap on new tokens; a search that loops stops early): agreement starts over;
/// 4. LocalAgreement turns the new words into final words and a partial rest (a word past the deadline
///    becomes final without agreement);
/// 5. the buffer is cut (``BufferCut``): at a pause that keeps `contextSeconds` of final audio, or past
///    `trimSeconds` in the sentence, at a final word that keeps as much; past 28 s the pending words are made
///    final first, so that the buffer never reaches Whisper's 30 s window.
public final class StreamingTranscriber: StreamingRecognizer {
    public let model: WhisperModel
    public let options: StreamingOptions
    private let frontEnd: StreamingFrontEnd
    private let windowDecoder: WindowDecoder
    private var policy: LocalAgreement
    private var lastPartial: [TimedWord] = []
    /// Stream times where the last hypothesis's segments end.
    private var segmentEnds: [Double] = []
    private var generator = SplitMix64(seed: 0)
    /// The longest buffer (seconds): below Whisper's 30 s window, so that every step hears all of it.
    static let longestBuffer = 28.0
    /// Called with what each step did (nil: no trace is made).
    public var onStep: ((StepTrace) -> Void)?

    /// `speechDetector`: Silero VAD, whose gate (with `options.sileroVAD`'s thresholds, else faster-whisper's)
    /// replaces the energy gate of `options.speechGate`.
    public init(model: WhisperModel, options: StreamingOptions, speechDetector: SileroNetwork? = nil) {
        self.model = model
        self.options = options
        frontEnd = StreamingFrontEnd(
            model: model, encoding: options.windowEncoding, speechGate: options.speechGate,
            sileroGate: speechDetector.map { SileroGate(network: $0, options: options.sileroVAD ?? VADOptions()) },
            stepSeconds: options.stepSeconds, keepUp: options.keepUp)
        windowDecoder = WindowDecoder(model: model, options: options.decoding)
        policy = LocalAgreement(agreement: options.agreement)
    }

    /// Seconds of audio consumed.
    public var audioEnd: Double { frontEnd.audioEnd }

    /// Seconds of audio in the buffer that each step encodes (at most ``longestBuffer`` after a step).
    public var bufferedSeconds: Double { frontEnd.bufferedSeconds }

    /// Stream time (seconds) of the buffer's first sample.
    private var bufferStartSeconds: Double { frontEnd.bufferStartSeconds }

    /// Adds 16 kHz mono samples; decodes whenever a step's worth has arrived (``StepSchedule``). Throws
    /// ``DecodingFailure`` when the decoder's invariants break (the stream cannot go on).
    public func push(_ samples: [Float]) throws -> [StreamEvent] {
        try frontEnd.push(samples, step: step)
    }

    /// End of stream: a last step over what is buffered, then every pending word becomes final.
    public func finish() throws -> [StreamEvent] {
        var events = frontEnd.hasPendingAudio ? try step() : []
        let rest = policy.finish()
        if !rest.isEmpty { events.append(StreamEvent(kind: .final, words: rest, audioEnd: audioEnd)) }
        if !lastPartial.isEmpty { events.append(StreamEvent(kind: .partial, words: [], audioEnd: audioEnd)) }
        lastPartial = []
        return events
    }

    // MARK: - One step

    private func step() throws -> [StreamEvent] {
        var trace = StepTrace(audioEnd: audioEnd, bufferStart: bufferStartSeconds, verdict: .accepted)
        defer { onStep?(trace) }
        let features = frontEnd.features()
        if !frontEnd.hearsSpeech(features) {
            trace.verdict = .silence
            dropSilence(&trace)
            return []
        }
        let settledBy = audioEnd - options.settleSeconds, unsureSettledBy = audioEnd - options.unsureSettleSeconds
        let overdueBy = audioEnd - options.deadlineSeconds
        var final: [TimedWord] = []
        if let hypothesis = try decode(features, trace: &trace) {
            final =
                hypothesis.continues
                ? policy.extend(hypothesis.words, settledBy: settledBy, unsureSettledBy: unsureSettledBy, overdueBy: overdueBy).final
                : policy.update(hypothesis.words, settledBy: settledBy, unsureSettledBy: unsureSettledBy, overdueBy: overdueBy).final
            // The policy keeps a tail of the hypothesis (final, then partial): what it dropped is at the front.
            trace.policyDropped = Array(hypothesis.words.prefix(hypothesis.words.count - final.count - policy.partial.count))
        } else {
            policy.reject()
        }
        let partial = policy.partial
        trace.final = final
        trace.partial = partial
        var events: [StreamEvent] = []
        if !final.isEmpty { events.append(StreamEvent(kind: .final, words: final, audioEnd: audioEnd)) }
        if partial != lastPartial {
            events.append(StreamEvent(kind: .partial, words: partial, audioEnd: audioEnd))
            lastPartial = partial
        }
        if bufferedSeconds > Self.longestBuffer {
            // Never let the buffer reach the 30 s window: what is pending becomes final.
            let forced = policy.finish()
            if !forced.isEmpty { events.append(StreamEvent(kind: .final, words: forced, audioEnd: audioEnd)) }
            trace.final += forced
            lastPartial = []
            cut(at: bufferCut.inSentence, .longest, &trace)
        } else if let (position, reason) = bufferCut.afterStepWithReason {
            cut(at: position, reason, &trace)
        }
        return events
    }

    /// Cuts the buffer; pending words before the cut are lost (the next hypothesis no longer hears them).
    private func cut(at position: Double, _ reason: StepTrace.Cut, _ trace: inout StepTrace) {
        trace.forgotten = policy.partial.filter { $0.centre < position }
        (trace.cutAt, trace.cut) = (position, reason)
        frontEnd.cut(at: position)
    }

    /// The cut rules over the current final text and the last hypothesis's segments.
    private var bufferCut: BufferCut {
        BufferCut(
            bufferStart: bufferStartSeconds, audioEnd: audioEnd, keptSeconds: options.forcedPrefix ? options.contextSeconds : 0,
            trimSeconds: options.trimSeconds, committed: policy.committed, segmentEnds: segmentEnds)
    }

    /// The buffer's new words (stream times), or nil when the result is unsure or repetitive
    /// (``LocalAgreement/reject()``); `continues` when they follow the final text (a forced prefix) rather
    /// than re-read the whole buffer.
    private func decode(_ features: MelFeatures, trace: inout StepTrace) throws -> (words: [TimedWord], continues: Bool)? {
        guard let encoded = frontEnd.encode(features) else {
            trace.verdict = .empty
            return nil
        }
        let frames = encoded.frames, memory = encoded.memory
        let offset = bufferStartSeconds
        let (earlier, written) = splitFinalText()
        let prompt = windowDecoder.prompt(
            previous: textTokens(earlier, characters: options.promptCharacters),
            language: options.decoding.language ?? (model.tokens.isMultilingual ? nil : "en"))
        let prefix = forcedPrefix(written)
        // A live speaker says at most about 5 tokens a second: a longer result is a loop, and cutting it short
        // keeps a step from taking seconds.
        let newAudio = audioEnd - max(offset, written.last?.end ?? offset)
        let endOfText = model.tokens.endOfText
        let loops = { (tokens: [Int]) in RepetitionGuard.loops(tokens.filter { $0 < endOfText }) }
        let result = try windowDecoder.decode(
            memory: memory, prompt: prompt, prefix: prefix,
            maxNewTokens: Self.tokenAllowance(seconds: newAudio), abandons: loops, generator: &generator)
        let decoding = options.decoding
        (trace.noSpeechProbability, trace.averageLogProbability) = (result.noSpeechProbability, result.averageLogProbability)
        trace.compressionRatio = result.compressionRatio
        if onStep != nil { trace.decoded = model.tokenizer.decode(result.tokens.filter { $0 < endOfText }) }
        if let silence = decoding.noSpeechThreshold, result.noSpeechProbability > silence,
            let floor = decoding.logProbThreshold, result.averageLogProbability < floor
        {
            trace.verdict = .noSpeech
            return nil
        }
        if let limit = decoding.compressionRatioThreshold, result.compressionRatio > limit {
            trace.verdict = .compressionRatio
            return nil
        }
        if loops(result.tokens) {
            trace.verdict = .loop
            return nil
        }
        var split = SegmentSplitter(tokens: model.tokens).split(
            prefix + result.tokens, timeOffset: offset, seek: 0,
            segmentSize: frames, keepsUnfinished: true)
        WordAligner(model: model, options: decoding).addWords(
            to: &split.segments, memory: memory, startSequence: windowDecoder.startSequence(language: decoding.language),
            windowStart: offset, frames: frames, lastSpeechTime: policy.committedEnd, knownTokens: prefix.count { $0 < endOfText })
        let bufferEnd = audioEnd
        segmentEnds = split.segments.map(\.end)
        var words = split.segments.flatMap { $0.words ?? [] }
            .filter { $0.start < bufferEnd }
            .map { TimedWord(word: $0.word, start: $0.start, end: min($0.end, bufferEnd), probability: $0.probability) }
        words = TimedWord.joiningAttached(words)
        if let repeated = RepetitionGuard.repeatCut(words, newFrom: written.count) {
            trace.repeatCut = Array(words[repeated])
            words.removeSubrange(repeated)
        }
        // The prefix's words come back first (re-timed); what follows them is new. Should the words not
        // split as they did before, the policy drops what it has already made final by time.
        guard !prefix.isEmpty, words.count >= written.count,
            zip(words, written).allSatisfy({ $0.key == $1.key })
        else { return (words, false) }
        return (Array(words.dropFirst(written.count)), true)
    }

    /// The most new tokens a step decodes for `seconds` of audio: 8 a second (timestamps included) and 8 more.
    static func tokenAllowance(seconds: Double) -> Int { 8 + Int((8 * max(0, seconds)).rounded(.up)) }

    /// The final words before the buffer (they prompt the next step) and those in it (its forced prefix,
    /// when ``StreamingOptions/forcedPrefix`` is on): a word belongs to the buffer when its centre does.
    private func splitFinalText() -> (earlier: ArraySlice<TimedWord>, written: ArraySlice<TimedWord>) {
        let committed = policy.committed
        guard options.forcedPrefix else { return (committed.prefix { $0.end <= bufferStartSeconds }, []) }
        let inBuffer = committed.firstIndex { $0.centre >= bufferStartSeconds } ?? committed.endIndex
        return (committed[..<inBuffer], committed[inBuffer...])
    }

    /// The last `characters` of the words' text, as tokens.
    private func textTokens(_ words: ArraySlice<TimedWord>, characters: Int) -> [Int] {
        let text = words.map(\.word).joined()
        return text.isEmpty ? [] : model.tokenizer.encode(String(text.suffix(characters)))
    }

    /// The final words in the buffer as Whisper would have written them: a timestamp where the first starts
    /// (at most 1 s in, as Whisper begins a window), their text, and a closing and an opening timestamp at each
    /// segment end of the last hypothesis that falls between two of them.
    private func forcedPrefix(_ written: ArraySlice<TimedWord>) -> [Int] {
        guard let first = written.first else { return [] }
        let begin = model.tokens.timestampBegin
        func timestamp(_ seconds: Double) -> Int {
            begin + min(model.windowFrames / 2, Int((max(0, seconds - bufferStartSeconds) / SpecialTokens.timePrecision).rounded()))
        }
        var lastTimestamp = timestamp(min(first.start, bufferStartSeconds + 1))
        var prefix = [lastTimestamp]
        var text = ""
        var previous: TimedWord?
        for word in written {
            if let previous, let end = segmentEnds.first(where: { $0 > previous.centre && $0 <= word.centre }) {
                // Timestamps never go back, as Whisper writes them.
                let closing = max(timestamp(end), lastTimestamp)
                lastTimestamp = max(closing, timestamp(word.start))
                prefix += model.tokenizer.encode(text) + [closing, lastTimestamp]
                text = ""
            }
            text += word.word
            previous = word
        }
        return prefix + model.tokenizer.encode(text)
    }

    /// Silence only: keep the last half second (a word may be starting) and forget pending hypotheses.
    private func dropSilence(_ trace: inout StepTrace) {
        guard frontEnd.bufferedSeconds > 0.5 else { return }
        trace.forgotten = policy.partial
        (trace.cutAt, trace.cut) = (audioEnd - 0.5, .silence)
        frontEnd.keepLast(seconds: 0.5)
        policy.reset()
    }
}
