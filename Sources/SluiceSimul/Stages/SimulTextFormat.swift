import SluiceWhisper

/// The formats a translation stream is written in: every one the stream renderer has (SluiceWhisper's
/// `StreamEventRenderer`), interleaved included.
typealias SimulTextFormat = StreamEventFormat
