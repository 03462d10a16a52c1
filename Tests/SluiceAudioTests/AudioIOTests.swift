import Foundation
import SluiceAudio
import Testing

@Suite struct AudioIOTests {
    static func readAll(_ reader: any AudioReading, chunk: Int = 1000) throws -> [Float] {
        var all: [Float] = []
        var buffer: [Float] = []
        while case let frames = try reader.read(into: &buffer, maxFrames: chunk), frames > 0 {
            all += buffer[0..<(frames * reader.channels)]
        }
        return all
    }

    /// Decodes `path` through a real pipe (`cat path |`), as stdin would deliver it.
    static func readThroughPipe(_ path: String) throws -> (AudioDecoder, [Float]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cat")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        defer { process.waitUntilExit() }
        let decoder = try AudioDecoder(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, name: "stdin")
        return (decoder, try readAll(decoder))
    }

    @Test(arguments: ["flac", "wav", "ogg"])
    func pipeDecodingEqualsFileDecoding(format: String) throws {
        let folder = try FixtureFiles.temporaryFolder()
        let path: String
        switch format {
        case "ogg": path = FixtureFiles.fixture("speech-1.5s.ogg")
        case "flac": path = FixtureFiles.sample("1089-134686-0001.flac")
        default:
            path = folder.appendingPathComponent("speech.wav").path
            let samples = try Self.readAll(AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac")))
            let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .pcm16, sampleRate: 16000, channels: 1)
            try writer.write(samples)
            try writer.finish()
        }
        let file = try AudioDecoder(path: path)
        let fromFile = try Self.readAll(file)
        let (stream, fromPipe) = try Self.readThroughPipe(path)
        #expect(stream.sampleRate == file.sampleRate && stream.channels == file.channels)
        #expect(fromFile.count > 16000)
        #expect(fromPipe == fromFile)
    }

    @Test func wavAndFlacRoundTrip16BitExactly() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let source = try Self.readAll(AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac")))
        for container in [AudioFileWriter.Container.wav, .flac] {
            let path = folder.appendingPathComponent(container == .wav ? "a.wav" : "a.flac").path
            let writer = try AudioFileWriter(path: path, container: container, sampleFormat: .pcm16, sampleRate: 16000, channels: 1)
            try writer.write(Array(source[0..<20000]))
            try writer.write(Array(source[20000...]))
            #expect(!FileManager.default.fileExists(atPath: path), "visible before finish")
            try writer.finish()
            #expect(try Self.readAll(AudioDecoder(path: path)) == source)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.flac", "a.wav"])
    }

    @Test func abortLeavesNoFile() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let writer = try AudioFileWriter(
            path: folder.appendingPathComponent("x.flac").path, container: .flac,
            sampleFormat: .pcm24, sampleRate: 48000, channels: 2)
        try writer.write([Float](repeating: 0.25, count: 9600))
        writer.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func float32WavKeepsValuesAndClipsBeyondFullScale() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let path = folder.appendingPathComponent("f.wav").path
        let values: [Float] = [0, 0.5, -0.25, 1.5, -2, 0.123456789]
        let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .float32, sampleRate: 8000, channels: 2)
        try writer.write(values)
        try writer.finish()
        let decoder = try AudioDecoder(path: path)
        #expect(decoder.channels == 2 && decoder.sampleRate == 8000)
        #expect(try Self.readAll(decoder) == [0, 0.5, -0.25, 1, -1, 0.123456789])
        #expect(decoder.sampleGuard.clipped == 2)
    }

    @Test func rawPCMDecodesBothEncodings() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let s16 = folder.appendingPathComponent("a.s16").path
        let int16s: [Int16] = [0, 16384, -32768, 32767, -1, 2]
        _ = FileManager.default.createFile(atPath: s16, contents: int16s.withUnsafeBytes { Data($0) })
        let reader = try RawPCMReader(path: s16, encoding: .s16le, sampleRate: 16000, channels: 2)
        #expect(try Self.readAll(reader, chunk: 2) == int16s.map { Float($0) / 32768 })

        let f32 = folder.appendingPathComponent("a.f32").path
        let floats: [Float] = [0.5, -0.75, 1e-3]
        _ = FileManager.default.createFile(atPath: f32, contents: floats.withUnsafeBytes { Data($0) })
        #expect(try Self.readAll(RawPCMReader(path: f32, encoding: .f32le, sampleRate: 8000, channels: 1)) == floats)
    }

    @Test func rawPCMRejectsPartialFramesAndEmptyInput() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let odd = folder.appendingPathComponent("odd.raw").path
        _ = FileManager.default.createFile(atPath: odd, contents: Data([1, 0, 2, 0, 3, 0, 4]))
        let reader = try RawPCMReader(path: odd, encoding: .s16le, sampleRate: 16000, channels: 2)
        #expect {
            _ = try Self.readAll(reader)
        } throws: { error in
            "\(error)" == "\(odd): the input ends with 3 bytes that do not make a whole frame (4 bytes per frame: 2 × s16le) after sample 1"
        }
        let empty = folder.appendingPathComponent("empty.raw").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect {
            _ = try Self.readAll(RawPCMReader(path: empty, encoding: .f32le, sampleRate: 16000, channels: 1))
        } throws: { error in
            "\(error)" == "\(empty): no data (the input is empty)"
        }
    }

    @Test func badFilesGiveOneLineErrorsNamingThem() throws {
        let folder = try FixtureFiles.temporaryFolder()
        let junk = folder.appendingPathComponent("junk.wav").path
        _ = FileManager.default.createFile(atPath: junk, contents: Data("not audio at all".utf8))
        #expect { try AudioDecoder(path: junk) } throws: {
            "\($0)" == "\(junk): not an audio file (neither libsndfile nor FFmpeg recognises its format)"
        }
        #expect { try AudioDecoder(path: "/nonexistent.flac") } throws: { "\($0)" == "/nonexistent.flac: no such file" }

        // A FLAC cut in the middle: decoding fails at a sample position instead of ending quietly.
        let flac = try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.sample("1089-134686-0001.flac")))
        let cut = folder.appendingPathComponent("cut.flac").path
        _ = FileManager.default.createFile(atPath: cut, contents: flac.prefix(30000))
        #expect { _ = try Self.readAll(AudioDecoder(path: cut)) } throws: {
            "\($0)".hasPrefix("\(cut): decoding failed at sample ")
        }
    }

    /// libsndfile keeps an open's failure in one process-wide variable: opens on other threads must not
    /// replace the reason a junk file is refused (the service opens uploads concurrently).
    @Test func concurrentOpensKeepTheirOwnErrors() async throws {
        let folder = try FixtureFiles.temporaryFolder()
        let junk = folder.appendingPathComponent("junk.wav").path
        _ = FileManager.default.createFile(atPath: junk, contents: Data("not audio at all".utf8))
        let good = FixtureFiles.sample("1089-134686-0001.flac")
        let expected = "\(junk): not an audio file (neither libsndfile nor FFmpeg recognises its format)"
        let messages = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var seen: [String] = []
                    for _ in 0..<40 {
                        if task.isMultiple(of: 2) {
                            _ = try AudioDecoder(path: good)
                        } else {
                            do { _ = try AudioDecoder(path: junk) } catch { seen.append("\(error)") }
                        }
                    }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(messages.count == 160)
        #expect(messages.allSatisfy { $0 == expected }, "\(Set(messages).subtracting([expected]))")
    }
}
