import FuzzSupport

/// The `/v1/stream` client protocol (`StreamProtocol`, `StreamAudioFormat`, compiled here from
/// Sources/SluiceServer/Stream): the input's first line is the query string (`sample_rate=…&format=…`); the rest is a
/// sequence of events, each a kind byte — 0 text, 1 binary, 2 input closed, 3 shutdown (modulo 4) — then, for text and
/// binary, a 2-byte little-endian length and that many bytes of message.
///
/// Checks the machine's promises: nothing but `.none` (or a refusal) after the end, audio only while streaming, at the format's rate,
/// one finite sample per whole `bytesPerSample` of the message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamProtocol(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    var query: [String: String] = [:]
    for pair in String(decoding: input.line(), as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        query[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
    }
    guard let format = try? StreamProtocol.format(query: query) else { return 0 }
    var machine = StreamProtocol(format: format)
    while !input.isEmpty {
        let before = machine.state
        let kind = input.byte() % 4
        let action: StreamProtocol.Action
        var messageBytes = 0
        switch kind {
        case 0, 1:
            let length = Int(input.byte()) | Int(input.byte()) << 8
            let message = Array(input.take(length))
            messageBytes = message.count
            action = kind == 0 ? machine.onText(String(decoding: message, as: UTF8.self)) : machine.onBinary(message)
        case 2: action = machine.onInputClosed()
        default: action = machine.onShutdown()
        }
        if before == .ended {  // the session stops reading here; a late message may only be refused
            expect(machine.state == .ended, "\(action) reopens an ended stream")
            if case .fail = action {} else { expect(action == .none, "\(action) after the end") }
        }
        switch action {
        case .audio(let samples, let sampleRate):
            guard case .streaming(let current) = machine.state else { fatalError("audio while \(machine.state)") }
            expect(sampleRate == current.sampleRate && StreamAudioFormat.sampleRates.contains(sampleRate), "audio at \(sampleRate) Hz")
            expect(samples.count * current.encoding.bytesPerSample == messageBytes, "\(samples.count) samples from \(messageBytes) bytes")
            expect(samples.allSatisfy(\.isFinite), "a sample is not finite")
        case .finish, .abandon, .fail:
            expect(machine.state == .ended, "\(action) leaves the machine \(machine.state)")
        case .none:
            break
        }
    }
    return 0
}
