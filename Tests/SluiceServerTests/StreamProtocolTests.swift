import Testing

@testable import SluiceServer

/// The `/v1/stream` protocol state machine, message by message.
@Suite struct StreamProtocolTests {
    static let pcm16k = StreamAudioFormat(encoding: .s16le, sampleRate: 16000)

    @Test func queryStringSetsTheFormatAndDefaultsTo16kS16() throws {
        #expect(try StreamProtocol.format(query: [:]) == Self.pcm16k)
        #expect(
            try StreamProtocol.format(query: ["sample_rate": "44100", "format": "f32le"])
                == StreamAudioFormat(encoding: .f32le, sampleRate: 44100))
        #expect(throws: StreamProtocolError("query string: unknown format 'mp3' (expected s16le or f32le)")) {
            try StreamProtocol.format(query: ["format": "mp3"])
        }
        #expect(throws: StreamProtocolError("query string: bad sample_rate 'fast' (expected an integer in 8000...192000 Hz)")) {
            try StreamProtocol.format(query: ["sample_rate": "fast"])
        }
        #expect(throws: StreamProtocolError.self) { try StreamProtocol.format(query: ["sample_rate": "4000"]) }
    }

    @Test func s16leSamplesBecomeFloatsAndEofFinishes() {
        var machine = StreamProtocol(format: Self.pcm16k)
        // 0, 16384 (0.5), -32768 (-1), little-endian.
        #expect(machine.onBinary([0x00, 0x00, 0x00, 0x40, 0x00, 0x80]) == .audio([0, 0.5, -1], sampleRate: 16000))
        #expect(machine.state == .streaming(Self.pcm16k))
        #expect(machine.onBinary([]) == .none)
        #expect(machine.onText("{\"eof\":1}") == .finish(shutdown: false))
        #expect(machine.state == .ended)
        #expect(machine.onBinary([0, 0]) == .none)
        #expect(machine.onInputClosed() == .none)
    }

    @Test func aConfigMessageBeforeAudioChangesTheFormat() {
        var machine = StreamProtocol(format: Self.pcm16k)
        #expect(machine.onText("{\"sample_rate\":8000,\"format\":\"f32le\"}") == .none)
        #expect(machine.state == .awaitingAudio(StreamAudioFormat(encoding: .f32le, sampleRate: 8000)))
        #expect(machine.onBinary([0x00, 0x00, 0x80, 0x3F]) == .audio([1], sampleRate: 8000))
        #expect(machine.onText("{\"sample_rate\":16000}") == .fail("a config message must come before the first audio message"))
    }

    @Test func badInputFailsTheSessionWithAClearMessage() {
        var odd = StreamProtocol(format: Self.pcm16k)
        #expect(odd.onBinary([1, 2, 3]) == .fail("binary message of 3 bytes is not a whole number of s16le samples (2 bytes each)"))
        #expect(odd.state == .ended)

        var notJSON = StreamProtocol(format: Self.pcm16k)
        #expect(notJSON.onText("hello") == .fail("text message is not JSON: 'hello'"))

        var unknownKey = StreamProtocol(format: Self.pcm16k)
        guard case .fail(let message) = unknownKey.onText("{\"rate\":8000}") else {
            Issue.record("accepted an unknown key")
            return
        }
        #expect(message.contains("unknown message"))

        var badFormat = StreamProtocol(format: Self.pcm16k)
        #expect(badFormat.onText("{\"format\":\"ulaw\"}") == .fail("config message: unknown format 'ulaw' (expected s16le or f32le)"))

        var notFinite = StreamProtocol(format: StreamAudioFormat(encoding: .f32le, sampleRate: 16000))
        #expect(notFinite.onBinary([0, 0, 0, 0, 0x00, 0x00, 0xC0, 0x7F]) == .fail("f32le sample 1 of a binary message is not a finite number"))

        var badEOF = StreamProtocol(format: Self.pcm16k)
        #expect(badEOF.onText("{\"eof\":1,\"x\":2}") == .fail("an end-of-stream message is exactly {\"eof\":1}"))
    }

    @Test func disconnectAbandonsAndShutdownFinishes() {
        var gone = StreamProtocol(format: Self.pcm16k)
        _ = gone.onBinary([0, 0])
        #expect(gone.onInputClosed() == .abandon)

        var shutdown = StreamProtocol(format: Self.pcm16k)
        _ = shutdown.onBinary([0, 0])
        #expect(shutdown.onShutdown() == .finish(shutdown: true))
        #expect(shutdown.onShutdown() == .none)
    }
}
