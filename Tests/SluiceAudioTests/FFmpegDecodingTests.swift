import Foundation
import SluiceAudio
import Testing

/// The formats people bring (Fixtures/formats: the LibriSpeech sample re-encoded by FFmpeg) decode to the
/// same audio as the FLAC they were made from, from files and, where the format streams, from pipes.
@Suite struct FFmpegDecodingTests {
    /// One fixture: what should decode it, and how close its audio must come to the FLAC's.
    struct Fixture: CustomTestStringConvertible, Sendable {
        var file: String
        var library: AudioDecoder.Library
        var sampleRate: Int
        var channels: Int
        /// Lowest correlation with the FLAC at the best alignment, after both are at 16 kHz mono.
        var correlation: Double
        /// The level against the FLAC's, in dB (within 1 dB).
        var level = 0.0
        /// The encoder's own delay, in 16 kHz samples (a decoder removes what the container records).
        var delay = 0
        /// Whether it can come through a pipe.
        var streams: Bool
        var testDescription: String { file }
    }

    /// Measured (correlation, level): m4a 0.982, −3.1 dB (FFmpeg's mono-to-stereo upmix puts each channel at
    /// −3 dB); mp4 0.956, +0.4; webm 0.992, −0.2; mp3 0.992, −0.4; amr 0.665, −0.6 at a 5 ms lag (AMR-NB is
    /// a parametric speech codec: the waveform is not kept, and its encoder looks 5 ms ahead); µ-law 0.981, −0.2.
    static let fixtures = [
        Fixture(file: "speech-aac.m4a", library: .ffmpeg, sampleRate: 44100, channels: 2, correlation: 0.97, level: -3, streams: false),
        Fixture(file: "speech-h264.mp4", library: .ffmpeg, sampleRate: 48000, channels: 1, correlation: 0.94, streams: true),
        Fixture(file: "speech-opus.webm", library: .ffmpeg, sampleRate: 48000, channels: 1, correlation: 0.98, streams: true),
        Fixture(file: "speech.mp3", library: .libsndfile, sampleRate: 22050, channels: 1, correlation: 0.98, streams: true),
        Fixture(file: "speech-amrnb.amr", library: .ffmpeg, sampleRate: 8000, channels: 1, correlation: 0.6, delay: 80, streams: true),
        Fixture(file: "speech-ulaw8k.wav", library: .libsndfile, sampleRate: 8000, channels: 1, correlation: 0.97, streams: true),
    ]

    static func path(_ file: String) -> String { FixtureFiles.fixture("formats/\(file)") }

    /// All of `reader`, downmixed and resampled to 16 kHz as `MelFeatures` does.
    static func speech16k(_ reader: any AudioReading) throws -> [Float] {
        let mono = Downmix.toMono(try AudioIOTests.readAll(reader, chunk: 4096), channels: reader.channels)
        guard reader.sampleRate != 16000 else { return mono }
        let resampler = try Resampler(inputRate: Double(reader.sampleRate), outputRate: 16000, channels: 1)
        return resampler.process(mono) + resampler.flush()
    }

    /// The best normalised correlation of `a` with `b` shifted by up to `maxLag` samples, and that shift.
    static func alignment(_ a: [Float], _ b: [Float], maxLag: Int = 480) -> (correlation: Double, lag: Int) {
        var best = (correlation: -1.0, lag: 0)
        for lag in -maxLag...maxLag {
            var dot = 0.0
            var aa = 0.0
            var bb = 0.0
            for i in max(0, -lag)..<min(a.count, b.count - lag) {
                let x = Double(a[i])
                let y = Double(b[i + lag])
                dot += x * y
                aa += x * x
                bb += y * y
            }
            let correlation = dot / max(1e-12, (aa * bb).squareRoot())
            if correlation > best.correlation { best = (correlation, lag) }
        }
        return best
    }

    static func rms(_ samples: [Float]) -> Double {
        (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))).squareRoot()
    }

    static let reference: [Float] = try! speech16k(AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac")))

    @Test(arguments: fixtures)
    func decodesCloseToTheFlac(fixture: Fixture) throws {
        let decoder = try AudioDecoder(path: Self.path(fixture.file))
        #expect(decoder.library == fixture.library)
        #expect(decoder.sampleRate == fixture.sampleRate && decoder.channels == fixture.channels)
        let audio = try Self.speech16k(decoder)
        let (correlation, lag) = Self.alignment(Self.reference, audio)
        let level = 20 * log10(Self.rms(audio) / Self.rms(Self.reference))
        print(
            "\(fixture.file): \(audio.count) samples (flac \(Self.reference.count)), correlation \(correlation) at lag \(lag), level \(level) dB"
        )
        #expect(abs(audio.count - Self.reference.count) <= 1600, "duration within 0.1 s")
        #expect(correlation >= fixture.correlation)
        #expect(abs(lag - fixture.delay) <= 16, "codec delay removed (to 1 ms)")
        #expect(abs(level - fixture.level) < 1, "level")
    }
}

extension FFmpegDecodingTests {
    @Test(arguments: fixtures.filter { $0.streams })
    func aPipeDecodesAsTheFile(fixture: Fixture) throws {
        let path = Self.path(fixture.file)
        let fromFile = try AudioIOTests.readAll(AudioDecoder(path: path), chunk: 4096)
        let (stream, fromPipe) = try AudioIOTests.readThroughPipe(path)
        #expect(stream.library == fixture.library)
        #expect(fromPipe.count > 8000 && fromPipe == fromFile)
    }

    /// An M4A whose index follows its audio cannot stream: it fails before its audio is read, saying what to do.
    @Test func anMP4WithItsIndexLastFailsOnAPipeAtOnce() {
        #expect {
            try AudioIOTests.readThroughPipe(Self.path("speech-aac.m4a"))
        } throws: { error in
            "\(error)".hasPrefix("stdin: this MP4/M4A keeps its index (the moov box) after its audio")
                && "\(error)".contains("-movflags +faststart")
        }
    }

    /// Lossless audio comes out of FFmpeg sample for sample as out of libsndfile: the two decoders are interchangeable.
    @Test func ffmpegDecodesLosslessAudioAsLibsndfileDoes() throws {
        for path in [FixtureFiles.sample("1089-134686-0001.flac"), Self.path("speech-ulaw8k.wav")] {
            let sndfile = try AudioIOTests.readAll(SndFileDecoder(path: path), chunk: 4096)
            let ffmpeg = try FFmpegDecoder(path: path)
            #expect(ffmpeg.sampleRate == (path.hasSuffix(".flac") ? 16000 : 8000) && ffmpeg.channels == 1)
            #expect(try AudioIOTests.readAll(ffmpeg, chunk: 1000) == sndfile)
        }
    }

    @Test func corruptInputsFailWithOneLineNamingTheFile() throws {
        let folder = try FixtureFiles.temporaryFolder()
        func write(_ name: String, _ bytes: Data) -> String {
            let path = folder.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: bytes)
            return path
        }
        func failure(_ path: String) -> String? {
            do {
                _ = try AudioIOTests.readAll(AudioDecoder(path: path), chunk: 4096)
                return nil
            } catch { return "\(error)" }
        }
        let m4a = try Data(contentsOf: URL(fileURLWithPath: Self.path("speech-aac.m4a")))
        let mp4 = try Data(contentsOf: URL(fileURLWithPath: Self.path("speech-h264.mp4")))
        let webm = try Data(contentsOf: URL(fileURLWithPath: Self.path("speech-opus.webm")))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let random = Data(
            (0..<20000).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        let cases: [(path: String, says: String)] = [
            (write("cut.m4a", m4a.prefix(12000)), "cannot read the mov,mp4,m4a,3gp,3g2,mj2 container: moov atom not found"),
            (write("cut.mp4", mp4.prefix(mp4.count * 2 / 3)), "truncated at sample"),
            (write("cut.webm", webm.prefix(3000)), "truncated at sample"),
            (write("empty.m4a", Data()), "no data (the file is empty)"),
            (write("random.mp3", random), "not an audio file (neither libsndfile nor FFmpeg recognises its format)"),
            (write("notes.m4a", Data("shopping list\n".utf8)), "not an audio file (neither libsndfile nor FFmpeg recognises its format)"),
        ]
        for (path, says) in cases {
            let message = failure(path) ?? "decoded"
            #expect(message.hasPrefix(path + ": ") && message.contains(says) && !message.contains("\n"), "\(message)")
        }
    }
}

extension FFmpegDecodingTests {
    /// A live stream FFmpeg decodes (WebM, half of it sent, the writer silent and the pipe open) ends
    /// promptly on `requestStop`, as a SIGINT drain needs.
    @Test func requestStopEndsAnIdleFFmpegStream() throws {
        let webm = try Data(contentsOf: URL(fileURLWithPath: Self.path("speech-opus.webm")))
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(webm.prefix(webm.count / 2))
        defer { try? pipe.fileHandleForWriting.close() }
        let decoder = try AudioDecoder(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, name: "stdin")
        #expect(decoder.library == .ffmpeg && decoder.sampleRate == 48000)
        let ended = DispatchSemaphore(value: 0)
        let frames = Counter()
        Thread.detachNewThread {
            var buffer: [Float] = []
            while case let count = (try? decoder.read(into: &buffer, maxFrames: 4096)) ?? 0, count > 0 { frames.add(count) }
            ended.signal()
        }
        #expect(ended.wait(timeout: .now() + 0.5) == .timedOut, "waits for more input")
        #expect(frames.value > 24000, "what arrived was decoded")
        decoder.requestStop()
        #expect(ended.wait(timeout: .now() + 2) == .success, "stops within 2 s")
    }
}

/// A count shared with a reading thread.
private final class Counter: @unchecked Sendable {  // `count` is guarded by `lock`
    private let lock = NSLock()
    private var count = 0
    func add(_ value: Int) { lock.withLock { count += value } }
    var value: Int { lock.withLock { count } }
}
