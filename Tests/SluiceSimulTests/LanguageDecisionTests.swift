import Testing

@testable import SluiceSimul

/// The language decision rule on made-up identification steps (the model-backed tests and the benchmark
/// run it on real speech).
@Suite struct LanguageDecisionTests {
    @Test func decidesOnlyWhenStepsAgreeStronglyOnEnoughAudio() {
        var rule = LanguageDecision()
        #expect(rule.observe(["es": 0.9, "pt": 0.1], seconds: 1.0) == nil, "too little audio")
        #expect(rule.observe(["es": 0.95, "pt": 0.05], seconds: 2.0) == .init(code: "es", probability: 0.95, strong: true))
        #expect(rule.decision?.code == "es")
        #expect(rule.observe(["es": 0.97, "pt": 0.03], seconds: 2.5) == nil, "the same decision is not made twice")
    }

    @Test func aWeakOrSplitVoteWaitsForMoreAudio() {
        var rule = LanguageDecision()
        #expect(rule.observe(["el": 0.85, "es": 0.15], seconds: 2.0) == nil)
        #expect(rule.observe(["es": 0.85, "el": 0.15], seconds: 2.5) == nil, "the last two steps disagree")
        #expect(rule.observe(["es": 0.6, "pt": 0.4], seconds: 3.0) == nil, "not strong")
        #expect(rule.decision == nil)
    }

    @Test func afterTheLongestWaitTheVotesDecide() throws {
        var rule = LanguageDecision()
        _ = rule.observe(["la": 0.7, "pt": 0.3], seconds: 2.0)
        _ = rule.observe(["pt": 0.6, "la": 0.4], seconds: 4.0)
        let made = rule.observe(["pt": 0.7, "la": 0.3], seconds: 6.0)
        let decision = try #require(made)
        // Votes: pt 0.6 + 2.4 + 4.2 = 7.2, la 1.4 + 1.6 + 1.8 = 4.8.
        #expect(decision.code == "pt" && !decision.strong)
        #expect(abs(decision.probability - 0.6) < 1e-9)
    }

    @Test func theEndOfTheStreamDecidesWhateverWasHeard() {
        var rule = LanguageDecision()
        #expect(rule.observe(["de": 0.5, "nl": 0.5], seconds: 1.2, finishing: true)?.code == "de", "a tie goes to the first code")
    }

    @Test func aLaterStrongDecisionOverturnsAnEarlierOne() {
        var rule = LanguageDecision()
        rule.agreeingSteps = 1
        #expect(rule.observe(["it": 0.82, "es": 0.18], seconds: 2.0)?.code == "it")
        #expect(rule.observe(["es": 0.9, "it": 0.1], seconds: 2.5)?.code == "es")
    }

    @Test func theAllowedLanguagesAreRenormalised() throws {
        var rule = LanguageDecision(allowed: ["de", "es"])
        let restricted = rule.restricted(["la": 0.5, "es": 0.3, "de": 0.1, "pt": 0.1])
        #expect(restricted.keys.sorted() == ["de", "es"])
        #expect(abs(restricted["es"]! - 0.75) < 1e-9 && abs(restricted["de"]! - 0.25) < 1e-9)
        _ = rule.observe(["la": 0.6, "es": 0.38, "de": 0.02], seconds: 2.0)
        let made = rule.observe(["pt": 0.5, "es": 0.45, "de": 0.05], seconds: 2.5)
        let decision = try #require(made)
        #expect(decision.code == "es" && decision.strong)
        #expect(abs(decision.probability - 0.9) < 1e-9)
    }
}
