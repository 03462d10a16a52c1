import Testing

@testable import SluiceServer

/// What a stream accepts at its edge: out-of-range float samples are clipped and counted, silence ends it.
@Suite struct StreamInputBoundsTests {
    static let f32 = StreamAudioFormat(encoding: .f32le, sampleRate: 16000)

    static func f32le(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8((value.bitPattern >> UInt32($0 * 8)) & 0xFF) } }
    }

    @Test func finiteFloatsOutsideFullScaleAreClippedAndCounted() throws {
        let decoded = try Self.f32.samples(Self.f32le([0.25, 3e38, -3e38, 1, -1, 1.0000001, -Float.greatestFiniteMagnitude]))
        #expect(decoded.samples == [0.25, 1, -1, 1, -1, 1, -1])
        #expect(decoded.clipped == 4)
        var machine = StreamProtocol(format: Self.f32)
        #expect(machine.onBinary(Self.f32le([0.5, 2])) == .audio([0.5, 1], sampleRate: 16000))
        #expect(machine.onBinary(Self.f32le([-7, 0, 1e30])) == .audio([-1, 0, 1], sampleRate: 16000))
        #expect(machine.clippedSamples == 3)
    }

    @Test func nonFiniteFloatsAreStillRejected() {
        var machine = StreamProtocol(format: Self.f32)
        #expect(machine.onBinary(Self.f32le([0, .infinity])) == .fail("f32le sample 1 of a binary message is not a finite number"))
    }

    @Test func silenceEndsAnOpenStreamOnce() {
        var machine = StreamProtocol(format: Self.f32)
        #expect(
            machine.onSilence(.seconds(60))
                == .fail("no message from the client for 60 s: closing the stream (send audio, or {\"eof\":1} to end it)"))
        #expect(machine.state == .ended)
        #expect(machine.onSilence(.seconds(60)) == .none)
        var finished = StreamProtocol(format: Self.f32)
        _ = finished.onText("{\"eof\":1}")
        #expect(finished.onSilence(.milliseconds(1500)) == .none)
    }
}
