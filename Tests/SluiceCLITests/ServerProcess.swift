import Foundation
import SluiceAudio

/// A `sluice serve` process on a free loopback port, for end-to-end tests.
final class ServerProcess: @unchecked Sendable {  // `log` is guarded by `lock`
    let process = Process()
    private(set) var port = 0
    private let lock = NSLock()
    private var log = ""

    /// Starts `sluice serve --port 0 ARGUMENTS` and waits (up to a minute) until it prints its address;
    /// `openFileLimit` runs it under `ulimit -n` (through `/bin/sh`, which then becomes the server); `environment`
    /// adds variables.
    init(_ arguments: [String], openFileLimit: Int? = nil, environment: [String: String] = [:]) throws {
        if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments =
                ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", SluiceProcess.executable.path, "serve", "--port", "0"]
                + arguments
        } else {
            process.executableURL = SluiceProcess.executable
            process.arguments = ["serve", "--port", "0"] + arguments
        }
        process.currentDirectoryURL = SluiceProcess.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.log += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            if let range = stderr.range(of: "serving on http://127.0.0.1:") {
                let digits = stderr[range.upperBound...].prefix { $0.isNumber }
                if let value = Int(digits), stderr[range.upperBound...].dropFirst(digits.count).first == " " {
                    port = value
                    return
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw WebSocketTestClient.Failure(description: "sluice serve did not start: \(stderr)")
    }

    /// Everything the server wrote to stderr so far.
    var stderr: String { lock.withLock { log } }

    /// Sends SIGTERM and waits for the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        return waitForExit()
    }

    /// Waits for the process to exit; its status.
    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    /// `curl -s ARGUMENTS http://127.0.0.1:PORT/PATH`: the status code and the body.
    func curl(_ path: String, _ arguments: [String] = []) throws -> (status: Int, body: String) {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bodyPath = folder.appendingPathComponent("body").path
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments =
            ["curl", "-s", "-o", bodyPath, "-w", "%{http_code}", "--max-time", "120"] + arguments
            + ["http://127.0.0.1:\(port)\(path)"]
        curl.currentDirectoryURL = SluiceProcess.packageRoot
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let status = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let body = FileManager.default.contents(atPath: bodyPath) ?? Data()
        return (Int(String(decoding: status, as: UTF8.self)) ?? -1, String(decoding: body, as: UTF8.self))
    }

    /// `curl -s -D - ARGUMENTS http://127.0.0.1:PORT/PATH`: the status code and the response's header lines
    /// (names lowercased).
    func curlHeaders(_ path: String, _ arguments: [String] = []) throws -> (status: Int, headers: [String: String]) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "60"] + arguments + ["http://127.0.0.1:\(port)\(path)"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let head = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        let lines = head.components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? -1
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// The value of the sample `line` (a metric name with its labels) in `/metrics`.
    func metric(_ line: String) throws -> Double? {
        let text = try curl("/metrics").body
        return text.split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}

/// The test speech (`Samples/1089-134686-0001.flac`, 16 kHz mono) as PCM for WebSocket clients.
enum SpeechSample {
    static let path = "Samples/1089-134686-0001.flac"

    /// The samples, as floats.
    static let samples: [Float] = read(path)

    /// The samples of a 16 kHz mono file of the package (a path from its root).
    static func read(_ path: String) -> [Float] {
        let decoder = try! AudioDecoder(path: SluiceProcess.packageRoot.appendingPathComponent(path).path)
        var all: [Float] = []
        var buffer: [Float] = []
        while case let count = try! decoder.read(into: &buffer, maxFrames: 16384), count > 0 { all += buffer[0..<count] }
        return all
    }

    /// 16-bit little-endian PCM.
    static func s16le(_ samples: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let scaled: Float = (sample * 32768).rounded()
            let value = UInt16(bitPattern: Int16(Swift.max(-32768, Swift.min(32767, scaled))))
            bytes.append(UInt8(value & 0xFF))
            bytes.append(UInt8(value >> 8))
        }
        return bytes
    }

    /// 32-bit float little-endian PCM.
    static func f32le(_ samples: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * 4)
        for sample in samples {
            let bits = sample.bitPattern
            for shift in [0, 8, 16, 24] { bytes.append(UInt8((bits >> UInt32(shift)) & 0xFF)) }
        }
        return bytes
    }

    /// Lower-case words, letters only: what transcripts are compared on.
    static func words(_ text: String) -> [String] {
        let letters = text.lowercased().map { (character: Character) -> Character in
            character.isLetter || character == "'" ? character : " "
        }
        return String(letters).split(separator: " ").map(String.init)
    }
}
