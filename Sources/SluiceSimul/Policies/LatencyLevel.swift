/// The one latency knob of simultaneous translation (EAST's five levels): each read/write policy maps it
/// to its own parameter, so that `medium` means "a medium lag" whichever policy runs.
public enum LatencyLevel: String, Sendable, CaseIterable {
    case low
    case lowMedium = "low_medium"
    case medium
    case mediumHigh = "medium_high"
    case high

    /// 0 (low) … 4 (high), for the tables that map levels to parameters.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
}
