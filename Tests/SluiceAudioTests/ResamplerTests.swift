import Foundation
import SluiceAudio
import Testing

@Suite struct ResamplerTests {
    static func sine(_ frequency: Double, rate: Double, seconds: Double, amplitude: Double = 0.5) -> [Float] {
        (0..<Int(rate * seconds)).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / rate)) }
    }

    /// A linear chirp from `from` to `to` Hz.
    static func sweep(from: Double, to: Double, rate: Double, seconds: Double, amplitude: Double = 0.5) -> [Float] {
        let count = Int(rate * seconds)
        let slope = (to - from) / seconds
        return (0..<count).map { index in
            let t = Double(index) / rate
            return Float(amplitude * sin(2 * .pi * (from * t + slope * t * t / 2)))
        }
    }

    /// RMS in dB relative to a full-scale sine's RMS, over the steady middle of the signal.
    static func level(_ signal: [Float]) -> Double {
        let middle = signal[(signal.count / 10)..<(signal.count * 9 / 10)]
        let power = middle.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(middle.count)
        return 10 * log10(max(power, 1e-30) / 0.5)
    }

    static func convert(_ input: [Float], from: Double, to: Double) throws -> [Float] {
        let resampler = try Resampler(inputRate: from, outputRate: to, channels: 1)
        return resampler.process(input) + resampler.flush()
    }

    /// Everything above the output Nyquist frequency would fold back as aliasing: a sweep across the
    /// whole stopband must come out below −60 dB.
    @Test(arguments: [44_100.0, 48_000.0])
    func sweepAcrossTheStopbandIsRemovedBelowMinus60dB(inputRate: Double) throws {
        let input = Self.sweep(from: 8_050, to: inputRate / 2 - 50, rate: inputRate, seconds: 4)
        let output = try Self.convert(input, from: inputRate, to: 16_000)
        let inputLevel = Self.level(input)
        let aliasing = Self.level(output) - inputLevel
        #expect(aliasing < -60, "aliasing \(aliasing) dB")
    }

    @Test(arguments: [8_500.0, 10_000.0, 15_000.0, 20_000.0])
    func tonesAboveNyquistDoNotAlias(frequency: Double) throws {
        let output = try Self.convert(Self.sine(frequency, rate: 44_100, seconds: 1), from: 44_100, to: 16_000)
        #expect(Self.level(output) - Self.level(Self.sine(frequency, rate: 44_100, seconds: 1)) < -60)
    }

    @Test(arguments: [100.0, 1_000.0, 4_000.0, 7_000.0])
    func passbandTonesKeepTheirLevel(frequency: Double) throws {
        let input = Self.sine(frequency, rate: 48_000, seconds: 1)
        let output = try Self.convert(input, from: 48_000, to: 16_000)
        #expect(abs(Self.level(output) - Self.level(input)) < 0.1)
    }

    @Test(arguments: [(44_100.0, 16_000.0), (48_000.0, 16_000.0), (8_000.0, 16_000.0), (22_050.0, 44_100.0)])
    func outputLengthFollowsTheRatio(from: Double, to: Double) throws {
        let frames = 12_345
        let output = try Self.convert(Self.sine(440, rate: from, seconds: Double(frames) / from), from: from, to: to)
        #expect(output.count == Int((Double(frames) * to / from).rounded()))
    }

    @Test func chunkedEqualsOneShot() throws {
        let input = Self.sine(440, rate: 44_100, seconds: 0.5)
        let oneShot = try Self.convert(input, from: 44_100, to: 16_000)
        let resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channels: 1)
        var chunked: [Float] = []
        var start = 0
        for size in [1, 17, 1000, 4096, 333] where start < input.count {
            chunked += resampler.process(Array(input[start..<min(input.count, start + size)]))
            start += size
        }
        chunked += resampler.process(Array(input[min(start, input.count)...])) + resampler.flush()
        #expect(chunked.count == oneShot.count)
        #expect(zip(chunked, oneShot).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func downmixAveragesChannels() {
        #expect(Downmix.toMono([1, 3, -2, 2, 0.5, 0.5], channels: 2) == [2, 0, 0.5])
        #expect(Downmix.toMono([1, 2, 3], channels: 3) == [2])
    }
}
