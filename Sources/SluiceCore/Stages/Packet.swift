/// A block of frames travelling on an edge.
///
/// - For audio, `data` holds interleaved samples (frames × channels).
/// - For features, `data` holds frames × dims values, row-major.
/// - `position` is the index of the first frame in the stream's own timeline, so errors and
///   metrics can say where in the input they happened.
public struct Packet: Sendable {
    /// Index of the first frame of this packet in its stream.
    public var position: Int64
    /// Number of frames in `data`.
    public var frames: Int
    /// The values (frames × values per frame).
    public var data: [Float]
    /// The records of a text stream (one per frame); empty for audio and features.
    public var text: [String]

    public init(position: Int64, frames: Int, data: [Float]) {
        self.position = position
        self.frames = frames
        self.data = data
        text = []
    }

    /// A packet of text records.
    public init(position: Int64, text: [String]) {
        self.position = position
        frames = text.count
        data = []
        self.text = text
    }

    /// Size of the payload in bytes, for metrics.
    public var byteCount: Int { data.count * MemoryLayout<Float>.size + text.reduce(0) { $0 + $1.utf8.count } }
}

/// What a producer hands to the engine: one packet, pushed to every consumer.
///
/// Emitting may block while a consumer's queue is full (backpressure) and throws when the run is
/// cancelled.
public typealias Emit = (Packet) throws -> Void
