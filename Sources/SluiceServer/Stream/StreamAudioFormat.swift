/// The PCM a `/v1/stream` client sends in binary messages: mono samples in one encoding at one rate.
struct StreamAudioFormat: Equatable, Sendable {
    /// How samples are stored.
    enum Encoding: String, Sendable, CaseIterable {
        /// 16-bit signed little-endian integers.
        case s16le
        /// 32-bit IEEE little-endian floats in [-1, 1].
        case f32le

        var bytesPerSample: Int { self == .s16le ? 2 : 4 }
    }

    /// Rates a client may send; anything but 16 kHz is resampled.
    static let sampleRates = 8000...192_000
    static let `default` = StreamAudioFormat(encoding: .s16le, sampleRate: 16000)

    var encoding: Encoding
    var sampleRate: Int

    /// This format with the changes a query string or a config message asks for (each key optional).
    /// - Throws: `StreamProtocolError` naming the bad value and where it came from (`origin`).
    func changed(sampleRate rate: String?, format: String?, origin: String) throws(StreamProtocolError) -> StreamAudioFormat {
        var result = self
        if let format {
            guard let encoding = Encoding(rawValue: format) else {
                throw StreamProtocolError("\(origin): unknown format '\(format)' (expected s16le or f32le)")
            }
            result.encoding = encoding
        }
        if let rate {
            guard let value = Int(rate), Self.sampleRates.contains(value) else {
                throw StreamProtocolError(
                    "\(origin): bad sample_rate '\(rate)' (expected an integer in \(Self.sampleRates.lowerBound)...\(Self.sampleRates.upperBound) Hz)"
                )
            }
            result.sampleRate = value
        }
        return result
    }

    /// The samples of one binary message, as floats in [-1, 1], and how many were clipped to that range.
    ///
    /// A finite f32le sample outside [-1, 1] is clipped to full scale (decoding would otherwise see values
    /// the model was never trained on, as large as 3e38); the count goes to `sluice_samples_clipped_total`.
    /// - Throws: `StreamProtocolError` when the byte count is not a whole number of samples, or a float
    ///   sample is not finite.
    func samples(_ bytes: some Collection<UInt8>) throws(StreamProtocolError) -> (samples: [Float], clipped: Int) {
        let width = encoding.bytesPerSample
        guard bytes.count % width == 0 else {
            throw StreamProtocolError(
                "binary message of \(bytes.count) bytes is not a whole number of \(encoding.rawValue) samples (\(width) bytes each)")
        }
        var samples = [Float](repeating: 0, count: bytes.count / width)
        var clipped = 0
        var index = 0
        var iterator = bytes.makeIterator()
        switch encoding {
        case .s16le:
            while let low = iterator.next(), let high = iterator.next() {
                samples[index] = Float(Int16(bitPattern: UInt16(low) | UInt16(high) << 8)) / 32768
                index += 1
            }
        case .f32le:
            while let b0 = iterator.next(), let b1 = iterator.next(), let b2 = iterator.next(), let b3 = iterator.next() {
                let value = Float(bitPattern: UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24)
                guard value.isFinite else { throw StreamProtocolError("f32le sample \(index) of a binary message is not a finite number") }
                if abs(value) > 1 {
                    clipped += 1
                    samples[index] = value > 0 ? 1 : -1
                } else {
                    samples[index] = value
                }
                index += 1
            }
        }
        return (samples, clipped)
    }
}

/// Bad input on a `/v1/stream` session: the message goes to the client as an error event before the close.
struct StreamProtocolError: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
