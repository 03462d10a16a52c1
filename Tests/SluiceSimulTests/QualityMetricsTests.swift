import Foundation
import Testing

@testable import SluiceSimul

@Suite struct QualityMetricsTests {
    @Test func tokenizer13aSplitsPunctuationButNotNumbers() {
        let tokenizer = Tokenizer13a()
        #expect(tokenizer.tokenize("Hello, world!") == "Hello , world !")
        #expect(tokenizer.tokenize("It costs 1,000.50 dollars.") == "It costs 1,000.50 dollars .")
        #expect(tokenizer.tokenize("pages 10-20") == "pages 10 - 20")
        #expect(tokenizer.tokenize("  ") == "")
    }

    @Test func identicalSegmentsScoreOneHundred() throws {
        let text = ["the quick brown fox jumps over the lazy dog"]
        let bleu = try BLEU().corpusScore(hypotheses: text, references: text)
        #expect(abs(bleu.score - 100) < 1e-9)
        #expect(bleu.brevityPenalty == 1)
        #expect(abs(try ChrF().corpusScore(hypotheses: text, references: text) - 100) < 1e-9)
    }

    @Test func shortHypothesesArePenalizedForBrevity() {
        // 4 of 8 reference tokens, all 4-grams match: BLEU = exp(1 − 8/4) · 100.
        let score = BLEU().sentenceScore(hypothesis: "a b c d", reference: "a b c d e f g h")
        #expect(abs(score.brevityPenalty - exp(-1.0)) < 1e-12)
        #expect(abs(score.score - 100 * exp(-1.0)) < 1e-9)
    }

    @Test func corpusBLEUNeedsAllFourOrdersButSentenceBLEUDoesNot() throws {
        let corpus = try BLEU().corpusScore(hypotheses: ["hello world"], references: ["hello world"])
        #expect(corpus.score == 0)
        #expect(corpus.precisions == [100, 100, 0, 0])
        #expect(abs(BLEU().sentenceScore(hypothesis: "hello world", reference: "hello world").score - 100) < 1e-9)
    }

    @Test func mismatchedCorporaAreRejected() {
        #expect(throws: QualityInputError.segmentCountMismatch(hypotheses: 2, references: 1)) {
            try BLEU().corpusScore(hypotheses: ["a", "b"], references: ["a"])
        }
        #expect(throws: QualityInputError.segmentCountMismatch(hypotheses: 0, references: 1)) {
            try ChrF().corpusScore(hypotheses: [], references: ["a"])
        }
    }
}

/// Tokenizer, BLEU and chrF against sacreBLEU 2.6.0 (Fixtures/quality.json).
@Suite struct QualityFixtureTests {
    let fixture: QualityFixture

    init() throws {
        fixture = try QualityFixture.load()
    }

    @Test func generatedBySacreBLEU() {
        #expect(fixture.generator == "sacrebleu 2.6.0")
        #expect(fixture.cases.count >= 10)
    }

    @Test func tokenizationMatches() {
        for tokenization in fixture.tokenizations {
            #expect(Tokenizer13a().tokenize(tokenization.input) == tokenization.output)
        }
    }

    @Test func corpusBLEUMatchesStatisticsAndPrintedLine() throws {
        for fixtureCase in fixture.cases {
            let score = try BLEU().corpusScore(hypotheses: fixtureCase.hypotheses, references: fixtureCase.references)
            let expected = fixtureCase.bleu
            #expect(abs(score.score - expected.score) <= 1e-9, "\(fixtureCase.name)")
            #expect(score.correct == expected.counts, "\(fixtureCase.name)")
            #expect(score.total == expected.totals, "\(fixtureCase.name)")
            #expect(zip(score.precisions, expected.precisions).allSatisfy { abs($0 - $1) <= 1e-9 })
            #expect(abs(score.brevityPenalty - expected.bp) <= 1e-12, "\(fixtureCase.name)")
            #expect(score.hypothesisLength == expected.sysLen, "\(fixtureCase.name)")
            #expect(score.referenceLength == expected.refLen, "\(fixtureCase.name)")
            #expect(score.description == expected.printed, "\(fixtureCase.name)")
        }
    }

    @Test func sentenceBLEUMatches() {
        for fixtureCase in fixture.cases {
            let scores = zip(fixtureCase.hypotheses, fixtureCase.references).map {
                BLEU().sentenceScore(hypothesis: $0, reference: $1).score
            }
            #expect(scores.count == fixtureCase.sentenceBleu.count)
            for (got, want) in zip(scores, fixtureCase.sentenceBleu) {
                #expect(abs(got - want) <= 1e-9, "\(fixtureCase.name)")
            }
        }
    }

    @Test func chrFMatches() throws {
        for fixtureCase in fixture.cases {
            let corpus = try ChrF().corpusScore(hypotheses: fixtureCase.hypotheses, references: fixtureCase.references)
            #expect(abs(corpus - fixtureCase.chrf) <= 1e-9, "\(fixtureCase.name)")
            let sentences = zip(fixtureCase.hypotheses, fixtureCase.references).map {
                ChrF().sentenceScore(hypothesis: $0, reference: $1)
            }
            for (got, want) in zip(sentences, fixtureCase.sentenceChrf) {
                #expect(abs(got - want) <= 1e-9, "\(fixtureCase.name)")
            }
        }
    }
}
