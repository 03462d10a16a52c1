import Foundation

/// The description of what flows on an edge, fixed before any data does.
///
/// - At validation time some properties may still be unknown (`nil`): an audio file's sample rate is
///   known only once the file is opened. At run time every property is known.
/// - A consumer states what it accepts; a mismatch is a configuration error that names a converter.
public enum StreamFormat: Sendable, Equatable, CustomStringConvertible {
    /// Interleaved float32 PCM.
    case audio(AudioFormat)
    /// Frames of `dims` float32 values, row-major (frames × dims).
    case features(FeatureFormat)
    /// Text records (a rendered transcript, JSON events), one per frame, in `Packet.text`.
    case text(TextFormat)
    /// Rows of a time series: values row-major (rows × channels), timestamps (if any) one per row in `Packet.text`.
    case series(SeriesFormat)
    /// Neural codec code frames: `codesPerFrame` integer codes per frame, carried exactly as floats.
    case codes(CodeFormat)

    /// Frames per second of the stream's timeline, when known.
    public var framesPerSecond: Double? {
        switch self {
        case .audio(let audio): audio.sampleRate.map(Double.init)
        case .features(let features): features.framesPerSecond
        case .text, .series: nil
        case .codes(let codes): codes.framesPerSecond
        }
    }

    /// Floats per frame, when known.
    public var valuesPerFrame: Int? {
        switch self {
        case .audio(let audio): audio.channels
        case .features(let features): features.dims
        case .text: 0
        case .series(let series): series.channels?.count
        case .codes(let codes): codes.codesPerFrame
        }
    }

    /// The word for one frame of this stream in messages ("sample", "frame").
    public var frameNoun: String {
        switch self {
        case .audio: "sample"
        case .features, .codes: "frame"
        case .text: "record"
        case .series: "row"
        }
    }

    public var description: String {
        switch self {
        case .audio(let audio): audio.description
        case .features(let features): features.description
        case .text(let text): text.description
        case .series(let series): series.description
        case .codes(let codes): codes.description
        }
    }
}

/// Audio: sample rate and channel count (`nil` = not known yet).
public struct AudioFormat: Sendable, Equatable, CustomStringConvertible {
    public var sampleRate: Int?
    public var channels: Int?

    public init(sampleRate: Int?, channels: Int?) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    public var description: String {
        let rate = sampleRate.map { "\($0) Hz" } ?? "any rate"
        let layout: String
        switch channels {
        case nil: layout = "any channels"
        case 1: layout = "mono"
        case 2: layout = "stereo"
        case let count?: layout = "\(count) channels"
        }
        return "audio (\(rate), \(layout))"
    }
}

/// Feature frames: what they are, how many values each, and how many per second.
public struct FeatureFormat: Sendable, Equatable, CustomStringConvertible {
    /// What the values mean, e.g. `log_mel`.
    public var kind: String
    public var dims: Int
    public var framesPerSecond: Double

    public init(kind: String, dims: Int, framesPerSecond: Double) {
        self.kind = kind
        self.dims = dims
        self.framesPerSecond = framesPerSecond
    }

    public var description: String {
        "features (\(kind), \(dims) dims, \(framesPerSecond.formatted(maxFractionDigits: 3)) frames/s)"
    }
}

/// Text records: what they hold (`json`, `verbose_json`, `srt`, `jsonl` events, …).
public struct TextFormat: Sendable, Equatable, CustomStringConvertible {
    public var kind: String

    public init(kind: String) {
        self.kind = kind
    }

    public var description: String { "text (\(kind))" }

    /// The file name extension for records of this kind: `json` for both JSON documents, the kind's
    /// own name for line and subtitle formats, `txt` for plain text.
    public var fileExtension: String {
        switch kind {
        case "json", "verbose_json": "json"
        case "jsonl", "srt", "vtt": kind
        default: "txt"
        }
    }
}

/// Time-series rows: the channel names (`nil` until the input's header is read).
public struct SeriesFormat: Sendable, Equatable, CustomStringConvertible {
    public var channels: [String]?

    public init(channels: [String]?) {
        self.channels = channels
    }

    public var description: String {
        guard let channels else { return "series (any channels)" }
        return "series (\(channels.joined(separator: ",")))"
    }
}

/// Codec codes: the quantizer's layout (GRVQ groups × levels of `codebookSize` codes) and the audio framing
/// (`nil` = not known yet, as for a code file before it is opened).
public struct CodeFormat: Sendable, Equatable, CustomStringConvertible {
    public var groups: Int?
    public var levels: Int?
    public var codebookSize: Int?
    /// Sample rate of the audio the codes stand for.
    public var sampleRate: Int?
    /// Audio samples per code frame.
    public var hop: Int?

    public init(groups: Int?, levels: Int?, codebookSize: Int?, sampleRate: Int?, hop: Int?) {
        self.groups = groups
        self.levels = levels
        self.codebookSize = codebookSize
        self.sampleRate = sampleRate
        self.hop = hop
    }

    /// Codes per frame (groups × levels), when known.
    public var codesPerFrame: Int? { groups.flatMap { g in levels.map { g * $0 } } }
    public var framesPerSecond: Double? { sampleRate.flatMap { rate in hop.map { Double(rate) / Double($0) } } }

    public var description: String {
        guard let groups, let levels, let codebookSize, let framesPerSecond else { return "codec codes (layout not known yet)" }
        return "codec codes (\(groups) groups × \(levels) levels × \(codebookSize), \(framesPerSecond.formatted(maxFractionDigits: 3)) frames/s)"
    }
}

/// A consumer does not accept its producer's format.
public struct FormatMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the consumer needs and what it got.
    public var message: String
    /// A stage that would convert, written as a pipeline-file flow mapping.
    public var suggestedConverter: String?

    public init(_ message: String, suggestedConverter: String? = nil) {
        self.message = message
        self.suggestedConverter = suggestedConverter
    }

    public var description: String {
        guard let converter = suggestedConverter else { return message }
        return "\(message); insert a converter before it: \(converter)"
    }
}

extension Double {
    /// A short decimal rendering without trailing zeros ("16000", "0.5", "100.333").
    public func formatted(maxFractionDigits digits: Int) -> String {
        var text = String(format: "%.\(digits)f", self)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
