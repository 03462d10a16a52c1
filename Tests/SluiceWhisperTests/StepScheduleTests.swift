import SluiceWhisper
import Testing

/// `StepSchedule`: where streaming steps fall in the stream, how audio is handed over around them, and how
/// `keepUp` stretches the next step after a slow one. A rate of 10 Hz keeps the streams short.
@Suite struct StepScheduleTests {
    /// What one `feed` call did: the pieces appended, and the stream position (samples appended so far) at each step.
    struct Trace {
        var pieces: [[Float]] = []
        var steps: [Int] = []
        var appended: Int { pieces.reduce(0) { $0 + $1.count } }
    }

    /// Feeds `stream` in packets of `sizes` (cycled); each step reports `stepTook(stepIndex)` seconds.
    static func run(
        _ schedule: inout StepSchedule, _ stream: [Float], packets sizes: [Int], rate: Int = 10,
        stepTook: (Int) -> Double = { _ in 0 }
    ) -> Trace {
        var trace = Trace()
        var start = 0
        var index = 0
        while start < stream.count {
            let end = min(stream.count, start + sizes[index % sizes.count])
            schedule.feed(
                Array(stream[start..<end]), rate: rate, append: { trace.pieces.append(Array($0)) },
                step: {
                    trace.steps.append(trace.appended)
                    return stepTook(trace.steps.count - 1)
                })
            start = end
            index += 1
        }
        return trace
    }

    static let stream = (0..<95).map(Float.init)

    @Test func stepsFallAtTheSameStreamPositionsHoweverTheAudioIsSplit() {
        for sizes in [[95], [1], [7], [10], [3, 17, 1, 40], [25, 5]] {
            var schedule = StepSchedule(stepSeconds: 2, keepUp: false, rate: 10)
            let trace = Self.run(&schedule, Self.stream, packets: sizes)
            #expect(trace.steps == [20, 40, 60, 80], "packets of \(sizes)")
            // Every sample is handed over once, in order, and no piece straddles a step.
            #expect(trace.pieces.flatMap { $0 } == Self.stream, "packets of \(sizes)")
            var position = 0
            for piece in trace.pieces {
                #expect((position + 1..<position + piece.count).allSatisfy { $0 % 20 != 0 }, "a piece crosses a step: \(sizes)")
                position += piece.count
            }
        }
    }

    @Test func pendingAudioIsWhatArrivedSinceTheLastStep() {
        var schedule = StepSchedule(stepSeconds: 1, keepUp: false, rate: 10)
        #expect(!schedule.hasPendingAudio)
        var steps = 0
        schedule.feed(
            [Float](repeating: 0, count: 4), rate: 10, append: { _ in },
            step: {
                steps += 1
                return 0
            })
        #expect(schedule.hasPendingAudio && steps == 0)
        schedule.feed(
            [Float](repeating: 0, count: 6), rate: 10, append: { _ in },
            step: {
                steps += 1
                return 0
            })
        #expect(!schedule.hasPendingAudio && steps == 1)
        schedule.feed(
            [], rate: 10, append: { _ in Issue.record("an empty packet appends nothing") },
            step: {
                steps += 1
                return 0
            })
        #expect(!schedule.hasPendingAudio && steps == 1)
    }

    /// With `keepUp`, a step that took longer than a step's worth of audio waits for as much audio as it took, so
    /// a live stream never falls behind; a fast step puts the schedule back to `stepSeconds`.
    @Test func keepUpWaitsAsLongAsTheLastStepTook() {
        let took: [Double] = [3.5, 0.2, 1.0, 0]
        var keepingUp = StepSchedule(stepSeconds: 1, keepUp: true, rate: 10)
        #expect(Self.run(&keepingUp, Self.stream, packets: [3], stepTook: { took[min($0, 3)] }).steps == [10, 45, 55, 65, 75, 85, 95])
        var steady = StepSchedule(stepSeconds: 1, keepUp: false, rate: 10)
        #expect(Self.run(&steady, Self.stream, packets: [3], stepTook: { took[min($0, 3)] }).steps == Array(stride(from: 10, through: 90, by: 10)))
    }

    @Test func stepLengthIsInSamplesAtTheRateAndAtLeastOne() {
        #expect(StepSchedule(stepSeconds: 0.5, keepUp: false).stepSamples == 8000)
        #expect(StepSchedule(stepSeconds: 1, keepUp: false, rate: 8000).stepSamples == 8000)
        #expect(StepSchedule(stepSeconds: 0, keepUp: true).stepSamples == 1)
    }

    /// A step that throws stops the feed there; the error reaches the caller.
    @Test func aFailingStepStopsTheFeed() {
        struct StepFailed: Error {}
        var schedule = StepSchedule(stepSeconds: 1, keepUp: false, rate: 10)
        var appended = 0
        #expect(throws: StepFailed.self) {
            try schedule.feed([Float](repeating: 0, count: 35), rate: 10, append: { appended += $0.count }, step: { throw StepFailed() })
        }
        #expect(appended == 10)
    }
}
