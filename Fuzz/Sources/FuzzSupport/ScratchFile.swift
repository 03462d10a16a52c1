import Foundation

/// A per-process file that each fuzz input is written to, for readers that take a path or a descriptor.
///
/// In /dev/shm when there is one, so that millions of inputs do not wear a disk.
public enum ScratchFile {
    /// The file's path; the same for every input of this process.
    public static let path: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        atexit { unlink(ScratchFile.path) }
        return "\(folder)/sluice-fuzz-\(getpid())"
    }()

    /// Replaces the file's content with `bytes`; returns its path.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "\(path): \(String(cString: strerror(errno)))")
        var written = 0
        while written < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            precondition(count > 0, "\(path): \(String(cString: strerror(errno)))")
            written += count
        }
        close(descriptor)
        return path
    }
}

/// The bytes of one fuzz input, read front to back by the targets that derive several values from it.
public struct FuzzInput {
    public private(set) var bytes: UnsafeRawBufferPointer

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// The next byte, 0 past the end.
    public mutating func byte() -> UInt8 {
        guard let first = bytes.first else { return 0 }
        bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        return first
    }

    /// The next `count` bytes, fewer at the end.
    public mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        let taken = UnsafeRawBufferPointer(rebasing: bytes.prefix(count))
        bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(taken.count))
        return taken
    }

    /// The bytes up to the next `separator` (excluded), or all the rest.
    public mutating func line(separator: UInt8 = UInt8(ascii: "\n")) -> UnsafeRawBufferPointer {
        let end = bytes.firstIndex(of: separator) ?? bytes.count
        let line = take(end)
        _ = take(1)
        return line
    }
}

/// Stops the fuzzer with `message` when a reader breaks one of its promises (unlike `precondition`, whose message an
/// optimised build drops), so that libFuzzer saves the input as a crash.
public func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz check failed: \(message())") }
}
