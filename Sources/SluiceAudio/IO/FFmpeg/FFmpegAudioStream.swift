import CFFmpeg

/// The first audio stream of a container, demuxed and decoded by FFmpeg, one frame at a time.
///
/// Other streams (video, subtitles, further audio) are discarded by the demuxer. A packet the decoder
/// rejects as invalid is skipped, as FFmpeg's own tools do with a damaged frame; `maximumBadPackets`
/// in a row fail the stream.
final class FFmpegAudioStream {
    /// Why an input could not be opened.
    enum OpenFailure: Error {
        /// No demuxer recognises the bytes (or only by a guess too weak to trust).
        case unrecognised
        /// Recognised, but unusable; the message names the input.
        case failed(AudioError)
    }

    static let maximumBadPackets = 16

    let name: String
    let source: FFmpegByteSource
    private let io: FFmpegIO
    // Each has a value from the start so that a failing init still runs `deinit`, which frees what was made.
    /// FFmpeg's names of the container and the codec, for messages ("mov,mp4,m4a,3gp,3g2,mj2", "aac").
    private(set) var container = ""
    private(set) var codecName = ""
    /// Seconds of audio the container declares for the stream, when it declares them exactly.
    private(set) var declaredSeconds: Double?
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var streamIndex: Int32 = -1
    private var draining = false
    private var badPacketsInARow = 0

    init(source: FFmpegByteSource) throws(OpenFailure) {
        _ = FFmpegLog.install
        FFmpegLog.clear()
        name = source.name
        self.source = source
        do { io = try FFmpegIO(source: source) } catch { throw .failed(error) }
        var inputFormat: UnsafePointer<AVInputFormat>?
        let score = av_probe_input_buffer2(io.context, &inputFormat, nil, nil, 0, 0)
        if let error = source.readError { throw .failed(error) }
        guard score >= sluice_av_probe_score_retry(), let inputFormat else {
            if score == sluice_av_error_eof() { throw .failed(AudioError("\(source.name): no data (the input is empty)")) }
            throw .unrecognised
        }
        container = String(cString: inputFormat.pointee.name)
        var format = avformat_alloc_context()
        guard let context = format else { throw .failed(AudioError("\(source.name): out of memory")) }
        context.pointee.pb = io.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        context.pointee.io_open = { _, _, _, _, _ in sluice_av_error_permission() }  // no file but the one given
        if !source.isSeekable { context.pointee.max_analyze_duration = 1_000_000 }  // 1 s: live input starts soon
        let opened = avformat_open_input(&format, "", inputFormat, nil)  // frees the context when it fails
        guard opened >= 0, let format else { throw .failed(Self.failure(source, "cannot read the \(container) container", opened)) }
        self.format = format
        let analysed = avformat_find_stream_info(format, nil)
        guard analysed >= 0 else { throw .failed(Self.failure(source, "cannot read the \(container) container", analysed)) }

        let streams = (0..<Int(format.pointee.nb_streams)).map { format.pointee.streams[$0]! }
        guard let audio = streams.firstIndex(where: { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }) else {
            let kinds = Set(streams.compactMap { av_get_media_type_string($0.pointee.codecpar.pointee.codec_type).map { String(cString: $0) } })
            throw .failed(
                AudioError(
                    "\(source.name): the \(container) container holds no audio stream"
                        + (kinds.isEmpty ? "" : " (only \(kinds.sorted().joined(separator: ", ")))")))
        }
        for (index, stream) in streams.enumerated() where index != audio { stream.pointee.discard = AVDISCARD_ALL }
        streamIndex = Int32(audio)
        let stream = streams[audio]
        let parameters = stream.pointee.codecpar!
        codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        declaredSeconds = Self.declaredSeconds(of: stream, in: format)

        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .failed(AudioError("\(source.name): this FFmpeg has no decoder for \(codecName) audio (in \(container))"))
        }
        codec = avcodec_alloc_context3(decoder)
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard let codec, packet != nil, frame != nil else { throw .failed(AudioError("\(source.name): out of memory")) }
        avcodec_parameters_to_context(codec, parameters)
        codec.pointee.pkt_timebase = stream.pointee.time_base
        let codecOpened = avcodec_open2(codec, decoder, nil)
        guard codecOpened >= 0 else { throw .failed(Self.failure(source, "cannot decode \(codecName) audio", codecOpened)) }
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        avformat_close_input(&format)  // leaves the custom `io` to its owner
    }

    /// The next decoded frame (valid until the next call), or `nil` at the end of the stream.
    func nextFrame(at sample: Int64) throws -> UnsafeMutablePointer<AVFrame>? {
        guard let format, let codec, let packet, let frame else { return nil }
        FFmpegLog.clear()
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received >= 0 {
                badPacketsInARow = 0
                return frame
            }
            if received == sluice_av_error_eof() { return nil }
            if received != sluice_av_error_again() {
                try badPacket(received, at: sample)
                continue
            }
            if draining { return nil }
            let read = av_read_frame(format, packet)
            if let error = source.readError { throw error }
            if read == sluice_av_error_eof() {
                draining = true
                avcodec_send_packet(codec, nil)
                continue
            }
            guard read >= 0 else { throw Self.failure(source, "cannot read the \(container) container at sample \(sample)", read) }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0, sent != sluice_av_error_again() { try badPacket(sent, at: sample) }
        }
    }

    /// Skips a packet the decoder rejected, unless too many in a row were rejected or the error is not about the data.
    private func badPacket(_ code: Int32, at sample: Int64) throws {
        badPacketsInARow += 1
        guard code == sluice_av_error_invalid_data(), badPacketsInARow < Self.maximumBadPackets else {
            let count = badPacketsInARow > 1 ? " (\(badPacketsInARow) packets in a row)" : ""
            throw Self.failure(source, "cannot decode \(codecName) audio at sample \(sample)\(count)", code)
        }
    }

    /// The stream's length as its header gives it: its own (MP4), else the container's when the stream is
    /// the only one (an audio-only WebM); never a length estimated from the bit rate, nor another stream's.
    private static func declaredSeconds(
        of stream: UnsafeMutablePointer<AVStream>, in format: UnsafeMutablePointer<AVFormatContext>
    ) -> Double? {
        guard format.pointee.duration_estimation_method == AVFMT_DURATION_FROM_STREAM else { return nil }
        if stream.pointee.duration > 0 { return Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base) }
        if format.pointee.nb_streams == 1, format.pointee.duration > 0 { return Double(format.pointee.duration) / Double(AV_TIME_BASE) }
        return nil
    }

    private static func failure(_ source: FFmpegByteSource, _ what: String, _ code: Int32) -> AudioError {
        source.readError ?? AudioError("\(source.name): \(what): \(FFmpegLog.describe(code))")
    }
}
