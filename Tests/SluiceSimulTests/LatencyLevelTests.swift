import Testing

@testable import SluiceSimul

@Suite struct LatencyLevelTests {
    @Test func levelsAreOrderedFromLowToHigh() {
        #expect(LatencyLevel.allCases.map(\.rawValue) == ["low", "low_medium", "medium", "medium_high", "high"])
        #expect(LatencyLevel.medium.rank == 2)
    }
}
