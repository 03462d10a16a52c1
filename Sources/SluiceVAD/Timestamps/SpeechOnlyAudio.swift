/// The speech regions of an input joined into one shorter signal, and the way back from its times to the
/// input's: faster-whisper's `collect_chunks` (without a length limit) and `SpeechTimestampsMap`.
public struct SpeechOnlyAudio: Sendable {
    /// The regions' samples, one after another (16 kHz).
    public let samples: [Float]
    /// The regions kept, in samples of the original input.
    public let regions: [SpeechRegion]
    /// Samples of the original input.
    public let inputCount: Int
    /// Per region: where it ends in `samples`, and the seconds of silence removed before it.
    private let endInJoined: [Int]
    private let silenceBefore: [Double]

    static let rate = 16000

    /// Joins the `regions` of `input`.
    public init(input: [Float], regions: [SpeechRegion]) {
        var joined: [Float] = []
        joined.reserveCapacity(regions.reduce(0) { $0 + $1.end - $1.start })
        var endInJoined: [Int] = []
        var silenceBefore: [Double] = []
        var previousEnd = 0, silent = 0
        for region in regions {
            joined += input[region.start..<min(region.end, input.count)]
            silent += region.start - previousEnd
            previousEnd = region.end
            endInJoined.append(region.end - silent)
            silenceBefore.append(Double(silent) / Double(Self.rate))
        }
        samples = joined
        self.regions = regions
        inputCount = input.count
        self.endInJoined = endInJoined
        self.silenceBefore = silenceBefore
    }

    /// Seconds of speech kept.
    public var duration: Double { Double(samples.count) / Double(Self.rate) }
    /// Seconds of the original input.
    public var inputDuration: Double { Double(inputCount) / Double(Self.rate) }

    /// The region a time of the joined signal falls in: the first whose end is after it (an end time exactly at
    /// a region's end belongs to that region), the last one past the end.
    public func regionIndex(of time: Double, isEnd: Bool = false) -> Int {
        let sample = Int(time * Double(Self.rate))
        if isEnd, let index = endInJoined.firstIndex(of: sample) { return index }
        // bisect_right: the first region whose end is greater than `sample`.
        var low = 0, high = endInJoined.count
        while low < high {
            let middle = (low + high) / 2
            if endInJoined[middle] <= sample { low = middle + 1 } else { high = middle }
        }
        return min(low, endInJoined.count - 1)
    }

    /// A time of the joined signal as a time of the original input (rounded to 10 ms, as faster-whisper does);
    /// `region` when the caller has chosen it (the words of one segment), else found from the time.
    public func originalTime(_ time: Double, region: Int? = nil, isEnd: Bool = false) -> Double {
        guard !endInJoined.isEmpty else { return time }
        let index = region ?? regionIndex(of: time, isEnd: isEnd)
        return ((silenceBefore[index] + time) * 100).rounded(.toNearestOrEven) / 100
    }
}
