import Foundation
import SluiceWhisper
import Testing

/// A transcript written while it is decoded reads the same as the whole transcript written at the end.
@Suite struct TranscriptRendererTests {
    /// Ten segments: sentences that end inside, at the end of and across segments, short and long pauses,
    /// and the first transcript of the cue-layout tests (word timings) in front.
    static let transcript: Transcript = {
        let texts = [
            " Good evening, and welcome.", " Tonight we look at rivers", " that run under cities and what they carry.",
            " First,", " the Fleet.", " It rises on the heath and it runs south to the Thames in pipes and culverts that nobody sees.",
            " Second, the Tyburn.", " Then a question from a listener", " about the Effra,", " which we answer at the end.",
        ]
        var segments = CueLayoutTests.transcript.segments
        var time = 25.0
        for (index, text) in texts.enumerated() {
            let length = Double(text.count) / 14
            segments.append(
                TranscriptSegment(
                    id: segments.count + 1, seek: 0, start: time, end: time + length, text: text, tokens: [], temperature: 0,
                    averageLogProbability: -0.3, compressionRatio: 1.2, noSpeechProbability: 0.01))
            time += length + (index % 3 == 2 ? 1.5 : 0.1)
        }
        return Transcript(language: "en", task: "transcribe", duration: time + 1, segments: segments)
    }()

    @Test(arguments: TranscriptFormat.allCases, [1, 3]) func piecesAddUpToTheWhole(format: TranscriptFormat, segmentsAnUpdate: Int) {
        var layout = CueLayout()
        layout.maxLineWidth = 32
        var renderer = TranscriptRenderer(format: format, layout: layout)
        var sofar = Self.transcript
        sofar.segments = []
        var written = ""
        var pieces = 0
        for start in stride(from: 0, to: Self.transcript.segments.count, by: segmentsAnUpdate) {
            sofar.segments += Self.transcript.segments[start..<min(start + segmentsAnUpdate, Self.transcript.segments.count)]
            let piece = renderer.render(sofar, isComplete: false)
            if !piece.isEmpty { pieces += 1 }
            written += piece
        }
        written += renderer.render(Self.transcript, isComplete: true)
        #expect(written == format.render(Self.transcript, layout: layout))
        if format != .json && format != .verboseJSON { #expect(pieces > 2, "written as it goes") }
    }

    @Test func jsonLinesAreVerboseSegments() throws {
        let lines = TranscriptFormat.jsonl.render(Self.transcript).split(separator: "\n")
        #expect(lines.count == Self.transcript.segments.count)
        let decoded = try lines.map { try JSONDecoder().decode(TranscriptSegment.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.text) == Self.transcript.segments.map(\.text))
        #expect(decoded.first?.words?.count == Self.transcript.segments.first?.words?.count)
    }
}
