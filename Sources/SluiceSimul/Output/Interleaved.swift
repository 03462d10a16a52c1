import SluiceWhisper

/// A simultaneous translation as EAST's interleaved text shows it: a list of read/write steps, each a source
/// chunk read followed by the target chunk written after it.
///
/// Two renderings, and one parser that reads both:
/// - `rendered` (Sluice's form): every chunk and marker separated by exactly one space, empty chunks left out,
///   no leading or trailing space: `src1 <|end-of-read|> tgt1 <|end-of-write|> src2 <|end-of-read|> tgt2
///   <|end-of-write|>`.
/// - `renderedEAST(chunkSeparator:)`, EAST's training string (`east_scripts/prepare_train_data.py`): no spaces
///   around markers, and the separator (a space, or nothing for Chinese) prepended to both chunks of every step
///   after the first: `src1<|end-of-read|>tgt1<|end-of-write|> src2<|end-of-read|> tgt2<|end-of-write|>`.
///
/// Chunks are stored without surrounding whitespace (`Step.init` trims them, as EAST strips them), and the parser
/// trims what it finds between markers, so `InterleavedTranscript(parsing: t.rendered) == t` and
/// `InterleavedTranscript(parsing: t.renderedEAST()) == t` for every transcript whose chunks do not themselves
/// contain a marker, and `InterleavedTranscript(parsing: s).rendered == s` for every string in Sluice's form.
public struct InterleavedTranscript: Sendable, Equatable {
    /// Ends a source chunk: the policy stops reading and starts writing.
    public static let endOfRead = InterleavedStep.endOfRead
    /// Ends a target chunk: the policy stops writing and reads on.
    public static let endOfWrite = InterleavedStep.endOfWrite

    /// One read/write step (the streaming renderer writes them one at a time, SluiceWhisper's `StreamEventRenderer`).
    public typealias Step = InterleavedStep

    /// The steps, in order.
    public var steps: [Step]

    public init(steps: [Step] = []) {
        self.steps = steps
    }

    /// The transcript in Sluice's spaced form (see the type's documentation); "" when there are no steps.
    public var rendered: String {
        steps.map(\.rendered).joined(separator: " ")
    }

    /// The transcript exactly as EAST writes its training targets; `chunkSeparator` is "" for Chinese.
    public func renderedEAST(chunkSeparator: String = " ") -> String {
        steps.enumerated().map { index, step in
            let separator = index == 0 ? "" : chunkSeparator
            return separator + step.source + Self.endOfRead + separator + step.target + Self.endOfWrite
        }.joined()
    }

    /// The source lane: the non-empty source chunks joined by `separator` ("" for Chinese).
    public func sourceText(separator: String = " ") -> String {
        steps.map(\.source).filter { !$0.isEmpty }.joined(separator: separator)
    }

    /// The target lane: the non-empty target chunks joined by `separator` ("" for Chinese).
    public func targetText(separator: String = " ") -> String {
        steps.map(\.target).filter { !$0.isEmpty }.joined(separator: separator)
    }

    /// Parses either rendering; whitespace around chunks and markers is not significant.
    ///
    /// Every step must be closed: text after the last `<|end-of-write|>` is an error, as is a marker out of
    /// order. Errors give the offset in Unicode scalars (Python's string index) of the offending marker or text.
    public init(parsing text: String) throws(InterleavedFormatError) {
        let scalars = Array(text.unicodeScalars)
        let endOfRead = Array(Self.endOfRead.unicodeScalars)
        let endOfWrite = Array(Self.endOfWrite.unicodeScalars)
        var steps: [Step] = []
        var pendingSource: String?
        var openReadOffset = 0
        var chunkStart = 0
        var index = 0

        func chunk(endingAt end: Int) -> String {
            InterleavedStep.trimmingWhitespace(String(unicodeScalars: scalars[chunkStart..<end]))
        }

        while index < scalars.count {
            if scalars.hasOccurrence(of: endOfRead, at: index) {
                guard pendingSource == nil else {
                    throw InterleavedFormatError(kind: .readBeforeWrite(openedAt: openReadOffset), offset: index)
                }
                pendingSource = chunk(endingAt: index)
                openReadOffset = index
                index += endOfRead.count
                chunkStart = index
            } else if scalars.hasOccurrence(of: endOfWrite, at: index) {
                guard let source = pendingSource else {
                    throw InterleavedFormatError(kind: .writeWithoutRead, offset: index)
                }
                steps.append(Step(source: source, target: chunk(endingAt: index)))
                pendingSource = nil
                index += endOfWrite.count
                chunkStart = index
            } else {
                index += 1
            }
        }
        if pendingSource != nil {
            throw InterleavedFormatError(kind: .unclosedWrite, offset: openReadOffset)
        }
        if let textStart = scalars[chunkStart...].firstIndex(where: { !$0.properties.isWhitespace }) {
            throw InterleavedFormatError(kind: .sourceWithoutRead, offset: textStart)
        }
        self.steps = steps
    }
}

/// Why a string is not an interleaved transcript, and where.
public struct InterleavedFormatError: Error, Equatable, CustomStringConvertible {
    /// What is out of order.
    public enum Kind: Sendable, Equatable {
        /// An `<|end-of-write|>` with no `<|end-of-read|>` since the previous step ended.
        case writeWithoutRead
        /// A second `<|end-of-read|>` before the step opened at `openedAt` was closed by `<|end-of-write|>`.
        case readBeforeWrite(openedAt: Int)
        /// The `<|end-of-read|>` at the offset is never followed by `<|end-of-write|>`.
        case unclosedWrite
        /// Text after the last step that no `<|end-of-read|>` ends.
        case sourceWithoutRead
    }

    /// What went wrong.
    public var kind: Kind
    /// Where, in Unicode scalars from the start of the input.
    public var offset: Int

    public var description: String {
        let read = InterleavedTranscript.endOfRead
        let write = InterleavedTranscript.endOfWrite
        switch kind {
        case .writeWithoutRead:
            return "offset \(offset): \(write) without a preceding \(read)"
        case .readBeforeWrite(let openedAt):
            return "offset \(offset): \(read) before the step opened at offset \(openedAt) was closed by \(write)"
        case .unclosedWrite:
            return "offset \(offset): \(read) is never closed by \(write)"
        case .sourceWithoutRead:
            return "offset \(offset): text after the last step is not ended by \(read)"
        }
    }
}
