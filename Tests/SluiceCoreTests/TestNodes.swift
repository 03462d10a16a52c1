import Foundation
import SluiceCore

/// A source of `packetCount` packets of `frames` mono frames at 16 kHz (a ramp, so order is checkable).
final class RampSource: Source, @unchecked Sendable {
    let format = StreamFormat.audio(AudioFormat(sampleRate: 16000, channels: 1))
    let frames: Int
    let packetCount: Int?
    private let lock = NSLock()
    private var stopRequested = false
    private(set) var emitted = 0
    var failAtPacket: Int?

    init(frames: Int, packetCount: Int?) {
        self.frames = frames
        self.packetCount = packetCount
    }

    var emittedCount: Int { lock.withLock { emitted } }

    func read(emit: Emit) throws -> Bool {
        if lock.withLock({ stopRequested }) { return false }
        if let packetCount, emittedCount >= packetCount { return false }
        if failAtPacket == emittedCount { throw TestError("decoder lost sync at packet \(emittedCount)") }
        let start = emittedCount * frames
        try emit(Packet(position: Int64(start), frames: frames, data: (0..<frames).map { Float(start + $0) }))
        lock.withLock { emitted += 1 }
        return true
    }

    func requestStop() { lock.withLock { stopRequested = true } }
}

/// Multiplies by a factor; fails on a chosen packet position; holds back one packet until finish.
final class ScaleStage: Stage {
    let outputFormat = StreamFormat.audio(AudioFormat(sampleRate: 16000, channels: 1))
    let factor: Float
    var failAtPosition: Int64?
    private var held: Packet?

    init(factor: Float) { self.factor = factor }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        if packet.position == failAtPosition { throw TestError("value out of range") }
        if let held { try emit(held) }
        held = Packet(position: packet.position, frames: packet.frames, data: packet.data.map { $0 * factor })
    }

    func finish(emit: Emit) throws {
        if let held { try emit(held) }
        held = nil
    }
}

/// Sums its inputs sample by sample (fan-in), buffering whichever input is ahead.
final class SumStage: Stage {
    let outputFormat = StreamFormat.audio(AudioFormat(sampleRate: 16000, channels: 1))
    private var pending: [[Float]]
    private var position: Int64 = 0

    init(inputs: Int) { pending = Array(repeating: [], count: inputs) }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        pending[input].append(contentsOf: packet.data)
        let ready = pending.map(\.count).min()!
        guard ready > 0 else { return }
        var sum = [Float](repeating: 0, count: ready)
        for index in pending.indices {
            for i in 0..<ready { sum[i] += pending[index][i] }
            pending[index].removeFirst(ready)
        }
        try emit(Packet(position: position, frames: ready, data: sum))
        position += Int64(ready)
    }

    func finish(emit: Emit) throws {}
}

/// Collects everything; optionally sleeps per packet (a deliberately slow consumer).
final class CollectingSink: Sink, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Float] = []
    private var finished = false
    private var aborted = false
    let delay: Double

    init(delay: Double = 0) { self.delay = delay }

    func consume(_ packet: Packet) throws {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        lock.withLock { values.append(contentsOf: packet.data) }
    }

    func finish() throws { lock.withLock { finished = true } }
    func abort() { lock.withLock { aborted = true } }

    var collected: [Float] { lock.withLock { values } }
    var didFinish: Bool { lock.withLock { finished } }
    var didAbort: Bool { lock.withLock { aborted } }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
