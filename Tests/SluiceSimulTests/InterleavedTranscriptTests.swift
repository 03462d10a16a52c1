import SluiceWhisper
import Testing

@testable import SluiceSimul

@Suite struct InterleavedTranscriptTests {
    let transcript = InterleavedTranscript(steps: [
        .init(source: "Ich habe", target: "I have"),
        .init(source: "den Hund", target: ""),
        .init(source: "gesehen.", target: "seen the dog."),
    ])
    let chinese = InterleavedTranscript(steps: [
        .init(source: "我", target: "I"),
        .init(source: "爱你", target: "love you"),
    ])

    @Test func rendersSluicesSpacedForm() {
        #expect(
            transcript.rendered
                == "Ich habe <|end-of-read|> I have <|end-of-write|> den Hund <|end-of-read|> <|end-of-write|> "
                + "gesehen. <|end-of-read|> seen the dog. <|end-of-write|>")
        #expect(InterleavedTranscript().rendered == "")
    }

    @Test func rendersEASTsTrainingForm() {
        #expect(
            transcript.renderedEAST()
                == "Ich habe<|end-of-read|>I have<|end-of-write|> den Hund<|end-of-read|> <|end-of-write|>"
                + " gesehen.<|end-of-read|> seen the dog.<|end-of-write|>")
        #expect(
            chinese.renderedEAST(chunkSeparator: "")
                == "我<|end-of-read|>I<|end-of-write|>爱你<|end-of-read|>love you<|end-of-write|>")
    }

    @Test func bothFormsParseBackToTheSameSteps() throws {
        #expect(try InterleavedTranscript(parsing: transcript.rendered) == transcript)
        #expect(try InterleavedTranscript(parsing: transcript.renderedEAST()) == transcript)
        #expect(try InterleavedTranscript(parsing: chinese.renderedEAST(chunkSeparator: "")) == chinese)
        #expect(try InterleavedTranscript(parsing: "") == InterleavedTranscript())
    }

    @Test func spacedTextRoundTripsExactly() throws {
        let text =
            "Guten Tag , <|end-of-read|> Good day, <|end-of-write|> "
            + "Frau Müller <|end-of-read|> Mrs Müller <|end-of-write|>"
        #expect(try InterleavedTranscript(parsing: text).rendered == text)
    }

    @Test func chunksAreTrimmedSoSpacingIsCanonical() throws {
        let parsed = try InterleavedTranscript(parsing: "  a b\t<|end-of-read|>\n x <|end-of-write|>  ")
        #expect(parsed.steps == [.init(source: "a b", target: "x")])
        #expect(InterleavedTranscript.Step(source: " padded ", target: "\ttext\n").source == "padded")
        #expect(InterleavedTranscript.Step(source: " padded ", target: "\ttext\n").target == "text")
    }

    @Test func lanesJoinTheNonEmptyChunks() {
        #expect(transcript.sourceText() == "Ich habe den Hund gesehen.")
        #expect(transcript.targetText() == "I have seen the dog.")
        #expect(chinese.sourceText(separator: "") == "我爱你")
    }

    @Test func writeWithoutReadIsReportedWhereItIs() {
        // "a <|end-of-read|> b <|end-of-write|> " is 36 scalars; the stray marker follows " c ".
        let text = "a <|end-of-read|> b <|end-of-write|> c <|end-of-write|>"
        #expect(throws: InterleavedFormatError(kind: .writeWithoutRead, offset: 39)) {
            try InterleavedTranscript(parsing: text)
        }
        #expect(
            String(describing: InterleavedFormatError(kind: .writeWithoutRead, offset: 39))
                == "offset 39: <|end-of-write|> without a preceding <|end-of-read|>")
    }

    @Test func otherMalformationsAreReportedWithOffsets() {
        #expect(throws: InterleavedFormatError(kind: .readBeforeWrite(openedAt: 1), offset: 18)) {
            try InterleavedTranscript(parsing: "a<|end-of-read|>b <|end-of-read|>")
        }
        #expect(throws: InterleavedFormatError(kind: .unclosedWrite, offset: 2)) {
            try InterleavedTranscript(parsing: "é <|end-of-read|> e")
        }
        #expect(throws: InterleavedFormatError(kind: .sourceWithoutRead, offset: 34)) {
            try InterleavedTranscript(parsing: "a<|end-of-read|>b<|end-of-write|> trailing")
        }
        #expect(throws: InterleavedFormatError(kind: .sourceWithoutRead, offset: 0)) {
            try InterleavedTranscript(parsing: "no markers at all")
        }
    }

    @Test func offsetsCountUnicodeScalars() {
        // "e\u{301}" is one Character but two scalars, so the marker starts at scalar 3.
        #expect(throws: InterleavedFormatError(kind: .writeWithoutRead, offset: 3)) {
            try InterleavedTranscript(parsing: "e\u{301} <|end-of-write|>")
        }
    }
}
