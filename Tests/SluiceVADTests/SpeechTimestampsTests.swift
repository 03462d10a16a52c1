import Foundation
import SluiceVAD
import Testing

/// get_speech_timestamps and SpeechTimestampsMap against faster-whisper's own results (Fixtures/make_fixture.py).
@Suite struct SpeechTimestampsTests {
    @Test func regionsOfOnnxRuntimeProbabilitiesMatch() throws {
        let golden = try VADGolden.load()
        for expected in golden.input_regions {
            let regions = SpeechTimestamps.regions(
                probabilities: golden.probabilities, sampleCount: golden.sample_count, options: expected.options.vadOptions)
            #expect(regions == expected.regions.regions)
        }
    }

    @Test func syntheticProbabilitiesMatch() throws {
        let golden = try VADGolden.load()
        for (index, expected) in golden.synthetic.enumerated() {
            let regions = SpeechTimestamps.regions(
                probabilities: expected.probabilities, sampleCount: expected.sample_count, options: expected.options.vadOptions)
            #expect(regions == expected.regions.regions, "synthetic case \(index)")
        }
        // The cases include splits of long regions.
        #expect(golden.synthetic.contains { $0.options.max_speech_duration_s != nil && $0.regions.count > 1 })
    }

    @Test func defaultsAreFasterWhispers() {
        let options = VADOptions()
        #expect(options.threshold == 0.5 && options.negativeThreshold == nil && options.minSpeechDurationMs == 0)
        #expect(options.maxSpeechDurationSeconds == .infinity && options.minSilenceDurationMs == 2000 && options.speechPadMs == 400)
    }

    @Test func noSpeechGivesNoRegions() {
        #expect(SpeechTimestamps.regions(probabilities: [Float](repeating: 0.1, count: 100), sampleCount: 51_000).isEmpty)
        let joined = SpeechOnlyAudio(input: [Float](repeating: 0, count: 100), regions: [])
        #expect(joined.samples.isEmpty && joined.originalTime(1.5) == 1.5)
    }

    @Test func timesMapBackAsFasterWhispersMap() throws {
        let golden = try VADGolden.load()
        for map in golden.maps {
            let end = map.chunks.last![1]
            let joined = SpeechOnlyAudio(input: [Float](repeating: 0, count: end), regions: map.chunks.regions)
            #expect(joined.samples.count == map.chunks.reduce(0) { $0 + $1[1] - $1[0] })
            for (i, time) in map.times.enumerated() {
                #expect(abs(joined.originalTime(time) - map.starts[i]) < 1e-9, "start \(time) of \(map.chunks)")
                #expect(abs(joined.originalTime(time, isEnd: true) - map.ends[i]) < 1e-9, "end \(time) of \(map.chunks)")
            }
        }
    }
}
