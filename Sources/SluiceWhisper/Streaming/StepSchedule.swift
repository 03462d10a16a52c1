/// When a streaming decoder takes its next step: every `stepSeconds` of audio, or — with `keepUp`, after a
/// step that took longer — once as much audio has arrived as the step took, so that a live stream never
/// falls behind. Steps fall at the same stream positions however the audio is split into packets.
public struct StepSchedule: Sendable {
    public let stepSamples: Int
    public let keepUp: Bool
    private var sinceStep = 0
    private var nextStep: Int

    public init(stepSeconds: Double, keepUp: Bool, rate: Int = 16000) {
        stepSamples = max(1, Int(stepSeconds * Double(rate)))
        self.keepUp = keepUp
        nextStep = stepSamples
    }

    /// Whether audio has arrived since the last step.
    public var hasPendingAudio: Bool { sinceStep > 0 }

    /// Feeds `samples`: `append` receives them in pieces that end at step positions, and `step` runs at each
    /// (it returns the wall-clock seconds it took, which sets the next step with `keepUp`).
    public mutating func feed(_ samples: [Float], rate: Int = 16000, append: (ArraySlice<Float>) -> Void, step: () throws -> Double) rethrows {
        var rest = samples[...]
        while !rest.isEmpty {
            let piece = rest.prefix(nextStep - sinceStep)
            rest = rest.dropFirst(piece.count)
            append(piece)
            sinceStep += piece.count
            guard sinceStep >= nextStep else { break }
            let took = Int(try step() * Double(rate))
            sinceStep = 0
            nextStep = keepUp ? max(stepSamples, took) : stepSamples
        }
    }
}
