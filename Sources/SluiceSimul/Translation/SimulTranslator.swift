import Foundation
import SluiceAudio
import SluiceWhisper

/// Simultaneous speech translation: audio in as it arrives, target text (and optionally the source
/// transcript) out while the speaker talks. Whisper decodes the segment heard so far, continuing the text
/// already written (forced prefix); a read/write policy decides how much of each continuation to write.
/// Synchronous and single-stream; the stage adapts it to the engine.
///
/// Each step (every `stepSeconds` of new audio, or as much audio as the last step took with `keepUp`):
/// 1. without speech activity in the segment nothing is decoded, the silence is dropped and the segment ends;
/// 2. the segment (at most `maxSegmentSeconds`) is encoded once for both lanes (``StreamingFrontEnd``);
/// 3. per lane, the policy plans the step (read on, or decode with a stop rule), the decoder continues the
///    written text token by token, and the policy picks the complete words to write; the rest is partial;
/// 4. a trailing pause (or the end of the stream) ends the segment: everything pending is written and the
///    next segment starts afresh (its prompt is the written text only with `contextTokens`). A segment that
///    grows past `maxSegmentSeconds` is cut after the audio of the last written target token.
public final class SimulTranslator: StreamingRecognizer {
    public let model: WhisperModel
    public let options: SimulOptions
    /// The segment's audio (the front end's buffer), its features and its encoding.
    private let frontEnd: StreamingFrontEnd
    private var target: Lane
    private var source: Lane?
    /// The spoken language, once known, and the probability it was identified with (nil when given).
    public private(set) var language: String?
    public private(set) var languageProbability: Double?
    /// Language identification, while the language is not given and no text is written (nil otherwise).
    private var languageDecision: LanguageDecision?
    /// Samples per encoder position.
    static let samplesPerPosition = 320

    /// One lane's decoder, policy and written text.
    struct Lane {
        let name: StreamEvent.Lane
        let decoder: ContinuationDecoder
        var decision: WriteDecision
        /// Text of earlier segments (the prompt).
        var context: [Int] = []
        /// Tokens written in this segment, and the encoder position each attended to.
        var written: [Int] = []
        var writtenAttended: [Int] = []
        /// Words written in this segment and in the stream.
        var segmentWords = 0
        var streamWords = 0
        var partial: [TimedWord] = []
    }

    public init(model: WhisperModel, options: SimulOptions) throws {
        guard options.task == .transcribe || model.tokens.isMultilingual else {
            throw SimulError(
                "model \(URL(fileURLWithPath: model.directory).lastPathComponent) is English-only: translation needs a multilingual model (base)")
        }
        self.model = model
        self.options = options
        target = Lane(name: .target, decoder: ContinuationDecoder(model: model, task: options.task), decision: WriteDecision(policy: options.policy))
        if options.sourceLane {
            source = Lane(
                name: .source, decoder: ContinuationDecoder(model: model, task: .transcribe),
                decision: WriteDecision(policy: options.sourcePolicy))
        }
        language = options.language ?? (model.tokens.isMultilingual ? nil : "en")
        if language == nil {
            var rule = options.languageRule
            rule.allowed = options.languages ?? rule.allowed
            languageDecision = rule
        }
        frontEnd = StreamingFrontEnd(
            model: model, encoding: .padded(minimumSeconds: options.windowSeconds, paddingSeconds: options.paddingSeconds),
            speechGate: options.speechGate, stepSeconds: options.stepSeconds, keepUp: options.keepUp)
    }

    /// Seconds of audio consumed.
    public var audioEnd: Double { frontEnd.audioEnd }

    /// Adds 16 kHz mono samples; decides whenever a step's worth has arrived.
    public func push(_ samples: [Float]) throws -> [StreamEvent] {
        try frontEnd.push(samples) { try step(finishing: false) }
    }

    /// End of stream: everything pending is written.
    public func finish() throws -> [StreamEvent] {
        let events = frontEnd.bufferedSamples == 0 ? [] : try step(finishing: true)
        frontEnd.dropFirst(frontEnd.bufferedSamples)
        return events
    }

    // MARK: - One step

    private var segmentSeconds: Double { frontEnd.bufferedSeconds }

    private func step(finishing: Bool) throws -> [StreamEvent] {
        var features = frontEnd.features()
        if !frontEnd.hearsSpeech(features) {
            // Silence only: keep the last half second (a word may be starting); the segment is over.
            frontEnd.keepLast(seconds: 0.5)
            endSegment()
            return []
        }
        // A segment begins at its speech (SimulStreaming's VAD drops the silence before it): leading silence
        // counted towards `minimumSeconds` let a decision rest on the first syllable ("The toilet" for "La parole").
        if target.written.isEmpty && (source?.written.isEmpty ?? true), let onset = frontEnd.speechOnsetSeconds(features),
            onset - options.leadingSilenceSeconds > frontEnd.bufferStartSeconds
        {
            frontEnd.cut(at: onset - options.leadingSilenceSeconds)
            features = frontEnd.features()
        }
        guard finishing || segmentSeconds >= options.minimumSeconds else { return [] }
        let segmentEnds = finishing || frontEnd.endsInPause(features, seconds: options.pauseSeconds)
        guard let encoded = frontEnd.encode(features) else { return [] }
        let memory = encoded.memory
        if var decision = languageDecision, target.streamWords == 0, (source?.streamWords ?? 0) == 0 {
            // Until text is written, each step's identification may decide the language or overturn a decision;
            // undecided, nothing is written and the segment goes on growing.
            let probabilities = model.languageProbabilities(memory: memory)
            if let made = decision.observe(probabilities, seconds: segmentSeconds, finishing: finishing) {
                (language, languageProbability) = (made.code, made.probability)
            }
            languageDecision = decision
            guard language != nil else { return [] }
        }
        let positions = encoded.positions

        var events: [StreamEvent] = []
        if var lane = source {
            events += try advance(&lane, memory: memory, positions: positions, flush: segmentEnds)
            source = lane
        }
        events += try advance(&target, memory: memory, positions: positions, flush: segmentEnds)
        if segmentEnds {
            endSegment(cutAt: frontEnd.bufferedSamples)
        } else if segmentSeconds > options.maxSegmentSeconds {
            if let last = target.writtenAttended.last {
                endSegment(cutAt: min(frontEnd.bufferedSamples, (last + 1) * Self.samplesPerPosition))
            } else {
                events += try advance(&target, memory: memory, positions: positions, flush: true)
                endSegment(cutAt: frontEnd.bufferedSamples)
            }
        }
        return events
    }

    /// Decodes one lane's continuation and writes what its policy allows (everything when `flush`).
    private func advance(_ lane: inout Lane, memory: CrossAttentionMemory, positions: Int, flush: Bool) throws -> [StreamEvent] {
        let plan: WriteDecision.Plan =
            flush ? .decode(maxWords: nil, guardFrames: nil) : lane.decision.plan(segmentSeconds: segmentSeconds, written: lane.segmentWords)
        guard plan != .read else { return [] }
        let tokenizer = model.tokenizer, endOfText = model.tokens.endOfText
        var wordIndex = -1
        var stoppedAtWordStart = false
        let maxNewTokens = Int(segmentSeconds * 12) + 16
        let continuation = try lane.decoder.continuation(
            memory: memory, positions: positions, language: language, context: lane.context, prefix: lane.written,
            maxNewTokens: maxNewTokens
        ) { index, token, attended in
            let startsWord = token != endOfText && (index == 0 || tokenizer.startsWithSpace(token))
            if startsWord { wordIndex += 1 }
            let stops = WriteDecision.stops(plan: plan, wordStart: startsWord, wordIndex: wordIndex, attended: attended, positions: positions)
            if stops { stoppedAtWordStart = startsWord && index > 0 }
            return stops
        }
        var words = RepetitionGuard.loops(lane.written.suffix(40) + continuation.tokens) ? [] : candidateWords(continuation)
        // A segment's first words are taken for silence when `<|nospeech|>` is likely (> 0.8): early in a segment
        // base guesses text from a fraction of a word. At the segment's end (`flush`) the gate has heard speech
        // and nothing later can write it, so only Whisper's own rule applies there: no-speech > 0.6 *and* mean
        // log-probability < -1 (the reference's); the no-speech probability alone lost whole short utterances.
        if lane.written.isEmpty && continuation.noSpeechProbability > (flush ? 0.6 : 0.8)
            && (!flush || Self.meanLogProbability(continuation) < -1)
        {
            words = []
        }
        let count = flush ? words.count : lane.decision.wordsToWrite(words, lastComplete: continuation.ended || stoppedAtWordStart)
        let offset = frontEnd.bufferStartSeconds
        let timed = words.map { word in
            TimedWord(
                word: word.text, start: offset + Double(word.firstAttended) * 0.02, end: offset + Double(word.lastAttended) * 0.02,
                probability: word.probability)
        }
        var events: [StreamEvent] = []
        if count > 0 {
            for word in words.prefix(count) {
                lane.written += word.tokens
                lane.writtenAttended += Array(repeating: word.lastAttended, count: word.tokens.count)
            }
            lane.segmentWords += count
            lane.streamWords += count
            events.append(event(lane, .final, Array(timed.prefix(count))))
        }
        let partial = flush ? [] : Array(timed.dropFirst(count))
        if partial != lane.partial {
            lane.partial = partial
            events.append(event(lane, .partial, partial))
        }
        return events
    }

    private func event(_ lane: Lane, _ kind: StreamEvent.Kind, _ words: [TimedWord]) -> StreamEvent {
        StreamEvent(
            kind: kind, words: words, audioEnd: audioEnd, lane: lane.name,
            sourceWords: lane.name == .target ? source?.streamWords : nil, language: language ?? "", languageProbability: languageProbability)
    }

    /// The mean log-probability of a continuation's tokens (0 for none).
    static func meanLogProbability(_ continuation: Continuation) -> Double {
        guard !continuation.probabilities.isEmpty else { return 0 }
        return continuation.probabilities.map { log(max($0, 1e-12)) }.reduce(0, +) / Double(continuation.probabilities.count)
    }

    /// Groups a continuation's tokens into words (a word starts at a token that begins with a space).
    private func candidateWords(_ continuation: Continuation) -> [CandidateWord] {
        var words: [CandidateWord] = []
        for (index, token) in continuation.tokens.enumerated() {
            let attended = continuation.attended[index], probability = continuation.probabilities[index]
            if words.isEmpty || model.tokenizer.startsWithSpace(token) {
                words.append(CandidateWord(text: "", tokens: [token], firstAttended: attended, lastAttended: attended, probability: probability))
            } else {
                words[words.count - 1].tokens.append(token)
                words[words.count - 1].lastAttended = attended
                words[words.count - 1].probability = min(words[words.count - 1].probability, probability)
            }
        }
        for index in words.indices { words[index].text = model.tokenizer.decode(words[index].tokens) }
        return words
    }

    /// Ends the segment at buffer sample `cut`: the audio before the cut goes, written text moves to the context.
    private func endSegment(cutAt cut: Int) {
        frontEnd.dropFirst(cut)
        endSegment()
    }

    /// Ends the segment: written text moves to the context, and the lanes start afresh.
    private func endSegment() {
        for var lane in [source, target].compactMap({ $0 }) {
            lane.context = Array((lane.context + lane.written).suffix(options.contextTokens))
            lane.written = []
            lane.writtenAttended = []
            lane.segmentWords = 0
            lane.decision.reset()
            if lane.name == .target { target = lane } else { source = lane }
        }
    }
}

/// A simultaneous-translation setup that cannot run.
public struct SimulError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
