import CFFmpeg

/// Decoded frames to interleaved float32, at the rate and channel layout of the stream's first frame.
///
/// Only the sample format and the interleaving change (libswresample copies planar float, scales
/// integers); rate and channel count are passed on as decoded, so that Sluice's one resampling path
/// (libsoxr, downstream) treats FFmpeg's audio as it treats libsndfile's. A stream whose rate or layout
/// changes midway is converted to the first frame's, the only time libswresample resamples or remixes.
final class SampleConverter {
    let sampleRate: Int32
    let channels: Int
    private var outputLayout = AVChannelLayout()
    private var inputLayout = AVChannelLayout()
    private var inputFormat: Int32 = -1
    private var inputRate: Int32 = 0
    private var context: OpaquePointer?
    private let name: String

    /// A converter to the rate and layout of `frame`.
    init(first frame: UnsafeMutablePointer<AVFrame>, name: String) throws {
        self.name = name
        sampleRate = frame.pointee.sample_rate
        Self.layout(of: frame, into: &outputLayout)
        channels = Int(outputLayout.nb_channels)
        guard sampleRate > 0, channels > 0 else {
            throw AudioError("\(name): the decoder gives \(sampleRate) Hz, \(channels) channels: not audio")
        }
    }

    deinit {
        swr_free(&context)
        av_channel_layout_uninit(&outputLayout)
        av_channel_layout_uninit(&inputLayout)
    }

    /// Appends `frame`'s samples, interleaved, to `samples`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, appendingTo samples: inout [Float]) throws {
        try configure(for: frame, appendingTo: &samples)
        let input = UnsafeMutableRawPointer(frame.pointee.extended_data).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        run(input: input, frames: frame.pointee.nb_samples, appendingTo: &samples)
    }

    /// Appends what libswresample still holds (only after a change of rate).
    func flush(appendingTo samples: inout [Float]) {
        guard context != nil else { return }
        run(input: nil, frames: 0, appendingTo: &samples)
    }

    /// Makes the conversion context match `frame`'s sample format, rate and layout (appending what the
    /// previous context still held).
    private func configure(for frame: UnsafeMutablePointer<AVFrame>, appendingTo samples: inout [Float]) throws {
        var layout = AVChannelLayout()
        defer { av_channel_layout_uninit(&layout) }
        Self.layout(of: frame, into: &layout)
        if context != nil, frame.pointee.format == inputFormat, frame.pointee.sample_rate == inputRate,
            av_channel_layout_compare(&layout, &inputLayout) == 0
        {
            return
        }
        flush(appendingTo: &samples)
        swr_free(&context)
        av_channel_layout_uninit(&inputLayout)
        av_channel_layout_copy(&inputLayout, &layout)
        inputFormat = frame.pointee.format
        inputRate = frame.pointee.sample_rate
        let status = swr_alloc_set_opts2(
            &context, &outputLayout, AV_SAMPLE_FMT_FLT, sampleRate, &inputLayout, AVSampleFormat(rawValue: inputFormat),
            inputRate, 0, nil)
        guard status >= 0, swr_init(context) >= 0 else {
            throw AudioError("\(name): cannot convert the decoder's samples (\(inputRate) Hz, \(layout.nb_channels) channels)")
        }
    }

    private func run(input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, frames: Int32, appendingTo samples: inout [Float]) {
        let capacity = Int(swr_get_out_samples(context, frames))
        guard capacity > 0 else { return }
        let start = samples.count
        samples.append(contentsOf: repeatElement(0, count: capacity * channels))
        let converted = samples.withUnsafeMutableBufferPointer { buffer in
            var plane: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(buffer.baseAddress! + start)
                .assumingMemoryBound(to: UInt8.self)
            return swr_convert(context, &plane, Int32(capacity), input, frames)
        }
        samples.removeLast((capacity - max(0, Int(converted))) * channels)
    }

    /// The frame's channel layout; an unspecified order becomes the default layout for its channel count.
    private static func layout(of frame: UnsafeMutablePointer<AVFrame>, into layout: inout AVChannelLayout) {
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&layout, frame.pointee.ch_layout.nb_channels)
        } else {
            av_channel_layout_copy(&layout, &frame.pointee.ch_layout)
        }
    }
}
