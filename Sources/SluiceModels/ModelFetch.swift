import Foundation
import SluiceFiles
import SluiceWhisper

/// `sluice models fetch`: download, verify and install a catalogue model, safely against a second
/// fetch of the same model and against a fetch that was killed.
///
/// - A fetch of NAME holds an exclusive flock(2) on `ROOT/.fetch-NAME.lock` while it works. A second
///   fetch of NAME waits for it (saying so), then finds the model installed and exits 0. The kernel
///   releases the lock of a killed fetch.
/// - The work happens in the staging folder `ROOT/.fetch-NAME-PID`, renamed into place when complete.
///   Under the lock, every other staging folder of NAME was left by a stopped fetch and is removed.
/// - Every failure is one `ModelStoreError` line.
extension ModelStore {
    /// Downloads, verifies and installs `name`; does nothing (but tidy up) if it is installed.
    ///
    /// - Parameters:
    ///   - wheelCache: a folder of wheels: one with the right name and sha256 is used instead of
    ///     downloading, and every wheel downloaded is copied there (for offline installs elsewhere).
    ///   - log: one line per step.
    public func fetch(_ name: String, wheelCache: String? = nil, log: (String) -> Void) throws(ModelStoreError) {
        guard let packages = Self.packages[name] else {
            if let reason = Self.unavailable[name] { throw ModelStoreError("model '\(name)' cannot be fetched: \(reason)") }
            throw ModelStoreError("unknown model '\(name)'; known: \(Self.catalogue.map(\.name).joined(separator: ", "))")
        }
        if isInstalled(name) {
            // A read-only store needs no lock; a writable one gets its leftovers removed.
            if let lock = try? FetchLock(path: lockPath(of: name), wait: false, waiting: { _ in }) {
                removeStaleStaging(of: name, log: log)
                withExtendedLifetime(lock) {}
            }
            log("\(name) is already installed at \(path(of: name).path)")
            return
        }
        try FileSystem.makeFolders(root.path, what: "the model folder")
        let lock = try FetchLock(path: lockPath(of: name), wait: true) { holder in
            log("waiting for another fetch of \(name) (\(holder)) to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        removeStaleStaging(of: name, log: log)
        if isInstalled(name) {
            log("\(name) is already installed at \(path(of: name).path)")
            return
        }
        let work = root.appendingPathComponent(stagingPrefix(of: name) + "\(getpid())")
        try FileSystem.makeFolders(work.path, what: "the staging folder")
        defer { try? FileManager.default.removeItem(at: work) }

        let download = PipDownload(work: work, wheelCache: wheelCache)
        var wheels: [String] = []
        for package in packages {
            wheels.append(try download.wheel(name: package.name, version: package.version, log: log))
        }
        let staged = work.appendingPathComponent(name)
        try download.verifyAndUnpack(
            wheels: wheels, digests: packages.map(\.sha256), folders: packages.map(\.folder),
            into: staged.path, model: name)
        let file = Self.catalogue.first { $0.name == name }?.file ?? "model.bin"
        guard FileManager.default.fileExists(atPath: staged.appendingPathComponent(file).path) else {
            throw ModelStoreError("the packages for \(name) hold no \(file)")
        }
        if file != "model.bin" {  // a one-file model from a Python package's folder: only the file is kept
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: staged.path)) ?? [] where entry != file {
                try? FileManager.default.removeItem(at: staged.appendingPathComponent(entry))
            }
        }
        download.keep(wheels, log: log)
        guard rename(staged.path, path(of: name).path) == 0 else {
            let reason = errno
            if isInstalled(name) {
                log("\(name) is already installed at \(path(of: name).path)")
                return
            }
            throw ModelStoreError("\(path(of: name).path): cannot install the model: \(String(cString: strerror(reason)))")
        }
        log("installed \(name) at \(path(of: name).path)")
    }

    private func lockPath(of name: String) -> String {
        root.appendingPathComponent(".fetch-\(name).lock").path
    }

    /// `.fetch-NAME-`, followed by the fetching process's id.
    private func stagingPrefix(of name: String) -> String { ".fetch-\(name)-" }

    /// Removes the staging folders of `name` that stopped fetches left (the caller holds the lock, so
    /// no running fetch owns one).
    private func removeStaleStaging(of name: String, log: (String) -> Void) {
        let prefix = stagingPrefix(of: name)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(prefix) {
            let pid = entry.dropFirst(prefix.count)
            guard !pid.isEmpty, pid.allSatisfy(\.isASCII), pid.allSatisfy(\.isNumber) else { continue }
            let folder = root.appendingPathComponent(entry)
            if (try? FileManager.default.removeItem(at: folder)) != nil {
                log("removed \(folder.path), left by a fetch that was stopped")
            }
        }
    }
}

/// An exclusive flock(2) on a lock file, held until released; the holder's process id is written in
/// the file for the message of the one waiting.
final class FetchLock {
    private var descriptor: Int32

    /// Takes the lock at `path`; when another process holds it, `wait` blocks (after telling
    /// `waiting` who holds it, `pid N`), else throws.
    init(path: String, wait: Bool, waiting: (String) -> Void) throws(ModelStoreError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ModelStoreError("\(path): cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        if Self.lock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK, wait else {
                close(descriptor)
                throw ModelStoreError("\(path): cannot lock: \(String(cString: strerror(reason)))")
            }
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &bytes, bytes.count, 0)
            let pid = Int32(String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            waiting(pid.map { "pid \($0)" } ?? "pid unknown")
            guard Self.lock(descriptor, LOCK_EX) == 0 else {
                let reason = errno
                close(descriptor)
                throw ModelStoreError("\(path): cannot lock: \(String(cString: strerror(reason)))")
            }
        }
        let text = Data("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(descriptor) }

    /// flock(2), retried when a signal interrupts it.
    private static func lock(_ descriptor: Int32, _ operation: Int32) -> Int32 {
        while true {
            let result = flock(descriptor, operation)
            if result == 0 || errno != EINTR { return result }
        }
    }
}

/// File operations whose failures become one `ModelStoreError` line with the system's reason.
enum FileSystem {
    /// Creates `path` and the folders above it that are missing.
    static func makeFolders(_ path: String, what: String) throws(ModelStoreError) {
        if let code = Folder.create(path) { throw ModelStoreError("\(path): cannot create \(what): \(Folder.reason(code))") }
    }

    /// The system's reason for a Foundation file error (`Permission denied`), else its description.
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
