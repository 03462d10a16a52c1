import Testing

@testable import SluiceCore

/// `StopSignals`, behind `sluice run`'s and `sluice batch`'s signal handling: the first signal drains, a second one
/// (or the deadline) cancels, once. Real signals go to the built binary (LiveStreamTests, BatchCommandTests): one
/// sent to this process right after `StopSignals` starts can come before libdispatch has installed its handler and
/// be ignored, so a test here could not tell which signal counted.
@Suite struct StopSignalsTests {
    @Test func theFirstSignalDrainsTheSecondCancelsAndLaterOnesDoNothing() {
        var escalation = StopSignals.Escalation()
        #expect(escalation.signal("SIGINT") == .drain(signal: "SIGINT"))
        #expect(escalation.signal("SIGTERM") == .cancel(signal: "SIGTERM"))
        #expect(escalation.signal("SIGINT") == nil)
        #expect(escalation.deadline(5) == nil)
    }

    @Test func theDeadlineCancelsADrainOnceAndOnlyADrain() {
        var escalation = StopSignals.Escalation()
        #expect(escalation.deadline(5) == nil)
        #expect(escalation.signal("SIGTERM") == .drain(signal: "SIGTERM"))
        #expect(escalation.deadline(5) == .deadlinePassed(seconds: 5))
        #expect(escalation.signal("SIGTERM") == nil)
        #expect(escalation.deadline(5) == nil)
    }
}
