import Foundation

/// A file written under a temporary name in its destination folder and renamed into place.
///
/// - `commit()` flushes, closes and renames: the output appears whole or not at all.
/// - `discard()` (or deinit without commit) removes the temporary file.
public final class AtomicFile {
    /// The final path.
    public let path: String
    /// The temporary path being written.
    public let temporaryPath: String
    /// The open descriptor of the temporary file.
    public private(set) var descriptor: Int32
    private var done = false

    /// Creates `.NAME.tmp-PID-N` beside `path`.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError("\(path): \(folder) \(FileManager.default.fileExists(atPath: folder) ? "is not a folder" : "does not exist")")
        }
        self.path = path
        self.temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent)\(Self.marker)\(getpid())-\(AtomicFile.nextSerial())").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileError("\(path): cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
    }

    deinit { discard() }

    /// What separates the final name from the process id and serial in a temporary name.
    private static let marker = ".tmp-"

    /// The file name that a temporary file named `fileName` was to become (`.NAME.tmp-PID-N` → `NAME`),
    /// or nil when `fileName` is not one: what a killed writer leaves behind can be found and removed.
    public static func destinationName(ofTemporary fileName: String) -> String? {
        guard fileName.hasPrefix("."), let found = fileName.range(of: marker, options: .backwards) else { return nil }
        let numbers = fileName[found.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return String(fileName[fileName.index(after: fileName.startIndex)..<found.lowerBound])
    }

    /// Writes all of `bytes` at the current offset.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileDescriptor.writeAll(descriptor, bytes, name: path)
    }

    /// Writes `bytes` at absolute `offset` without moving the current offset (header patches).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard pwrite(descriptor, bytes.baseAddress, bytes.count, off_t(offset)) == bytes.count else {
            throw FileError("\(path): write failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Closes the temporary file and renames it to `path`.
    public func commit() throws {
        guard !done else { return }
        done = true
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0, rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw FileError("\(path): cannot finish writing: \(reason)")
        }
    }

    /// Closes and removes the temporary file; the destination is left untouched.
    public func discard() {
        guard !done else { return }
        done = true
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private static let serialLock = NSLock()
    nonisolated(unsafe) private static var serial = 0

    private static func nextSerial() -> Int {
        serialLock.withLock {
            serial += 1
            return serial
        }
    }
}

/// Plain writes to a file descriptor.
public enum FileDescriptor {
    /// Writes all of `bytes` to `descriptor`, retrying short writes and EINTR; `name` goes in errors.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError("\(name): write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

extension FileDescriptor {
    /// Writes `text` as UTF-8 to `descriptor` (stdout, stderr); `name` goes in errors.
    public static func write(_ text: String, to descriptor: Int32, name: String) throws {
        try Array(text.utf8).withUnsafeBytes { try writeAll(descriptor, $0, name: name) }
    }
}

/// An output file problem, naming the file.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
