import Foundation

/// Keeps two batch runs from working on one output folder (or one shard of it) at once, so that
/// neither redoes the other's inputs or removes its half-written outputs as leftovers of a stopped run.
///
/// The locks are flock(2) locks on files in the output folder, which the kernel releases when the
/// holder exits however it exits (`kill -9` included), so a stopped run never blocks its resumption.
/// The files stay in the folder between runs; removing one while a run holds it would let a second
/// run in.
/// - An unsharded run holds `.sluice-batch.lock` exclusively.
/// - Shard I of N holds `.sluice-batch.lock` shared, so that shards run together, and
///   `.sluice-batch.shard-I-of-N.lock` exclusively.
/// The holder of an exclusive lock writes its process id into the file, for the message a refused
/// run prints.
public final class BatchLock: @unchecked Sendable {  // `descriptors` is guarded by `descriptorsLock`
    /// The lock every run of a folder takes (exclusive without shards, shared with them).
    public static let folderFileName = ".sluice-batch.lock"

    /// The lock file of `shard` (shards only).
    public static func shardFileName(for shard: Shard) -> String {
        ".sluice-batch.shard-\(shard.index + 1)-of-\(shard.count).lock"
    }

    /// Whether `name` is one of the lock files.
    public static func isLockFile(_ name: String) -> Bool {
        name.hasPrefix(".sluice-batch") && name.hasSuffix(".lock")
    }

    private var descriptors: [Int32] = []
    /// Why the run goes without a lock, when the file system has no flock(2) (an NFS mount without a
    /// lock daemon): a warning to show, where refusing to run would stop every batch on such a volume.
    public var unavailable: String? { descriptorsLock.withLock { unavailableReason } }
    private var unavailableReason: String?
    private let descriptorsLock = NSLock()

    /// Takes the locks of `shard` in `folder` (which must exist).
    ///
    /// - Parameters:
    ///   - wait: block until the locks are free instead of refusing; `waiting` gets one line saying
    ///     who is waited for.
    /// - Throws: `BatchError` naming the folder and the holder when another run holds a lock (and
    ///   `wait` is false), or when a lock file cannot be opened.
    public init(folder: String, shard: Shard, wait: Bool, waiting: (String) -> Void = { _ in }) throws(BatchError) {
        let folderLock = folder + "/" + Self.folderFileName
        do {
            if shard.count == 1 {
                try take(folderLock, exclusive: true, folder: folder, wait: wait, waiting: waiting)
            } else {
                try take(folderLock, exclusive: false, folder: folder, wait: wait, waiting: waiting)
                try take(folder + "/" + Self.shardFileName(for: shard), exclusive: true, folder: folder, wait: wait, waiting: waiting)
            }
        } catch {
            release()
            throw error
        }
    }

    deinit { release() }

    /// Gives the locks up (closing the files releases them).
    public func release() {
        descriptorsLock.withLock {
            for descriptor in descriptors { close(descriptor) }
            descriptors = []
        }
    }

    private func take(_ path: String, exclusive: Bool, folder: String, wait: Bool, waiting: (String) -> Void) throws(BatchError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BatchError("\(path): cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        let operation = exclusive ? LOCK_EX : LOCK_SH
        if Self.lock(descriptor, operation | LOCK_NB) != 0 {
            let reason = errno
            if [ENOLCK, EOPNOTSUPP, ENOSYS].contains(reason) {
                close(descriptor)
                descriptorsLock.withLock {
                    unavailableReason =
                        "\(folder): the file system does not support locks "
                        + "(\(String(cString: strerror(reason)))): running without one, so make sure no other run writes here"
                }
                return
            }
            guard reason == EWOULDBLOCK else {
                close(descriptor)
                throw BatchError("\(path): cannot lock: \(String(cString: strerror(reason)))")
            }
            let (holders, plural) = Self.holders(folder: folder, conflict: path)
            guard wait else {
                close(descriptor)
                throw BatchError(
                    "\(folder): \(holders) \(plural ? "are" : "is") writing into this folder; "
                        + "wait for \(plural ? "them" : "it") to finish (or pass --wait-lock), or write into another folder")
            }
            waiting("\(folder): waiting for \(holders) to finish")
            guard Self.lock(descriptor, operation) == 0 else {
                let reason = errno
                close(descriptor)
                throw BatchError("\(path): cannot lock: \(String(cString: strerror(reason)))")
            }
        }
        descriptorsLock.withLock { descriptors.append(descriptor) }
        if exclusive {
            let text = Data("\(getpid())\n".utf8)
            _ = ftruncate(descriptor, 0)
            _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        }
    }

    /// flock(2), retried when a signal interrupts it.
    private static func lock(_ descriptor: Int32, _ operation: Int32) -> Int32 {
        while true {
            let result = flock(descriptor, operation)
            if result == 0 || errno != EINTR { return result }
        }
    }

    /// Who holds the lock file `conflict` of `folder` now, in words (`another sluice batch (pid 123)`,
    /// `sluice batch shard 2/3 (pid 124)`), and whether that is several runs. An unsharded run refused
    /// by shards names them all.
    static func holders(folder: String, conflict: String) -> (words: String, plural: Bool) {
        let names: [String]
        if conflict == folder + "/" + folderFileName {
            if case .held(let pid) = holder(of: conflict) { return ("another sluice batch (\(describe(pid)))", false) }
            names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isLockFile).sorted()
        } else {
            names = [URL(fileURLWithPath: conflict).lastPathComponent]
        }
        let shards: [String] = names.compactMap { name in
            guard name != folderFileName, case .held(let pid) = holder(of: folder + "/" + name) else { return nil }
            let numbers = name.dropFirst(".sluice-batch.shard-".count).dropLast(".lock".count).split(separator: "-")
            let label = numbers.count == 3 ? "\(numbers[0])/\(numbers[2])" : name
            return "\(label) (\(describe(pid)))"
        }
        guard !shards.isEmpty else { return ("another sluice batch", false) }
        return ("sluice batch shard\(shards.count == 1 ? "" : "s") " + shards.joined(separator: ", "), shards.count > 1)
    }

    /// Whether a lock file is held exclusively, and by which process (as written in it).
    enum Holder: Equatable {
        case free
        case held(pid: Int32?)
    }

    /// The exclusive holder of the lock file at `path`, found by trying a shared lock on it.
    static func holder(of path: String) -> Holder {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .free }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0, errno == EWOULDBLOCK else { return .free }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(descriptor, &bytes, bytes.count)
        let text = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .held(pid: Int32(text))
    }

    private static func describe(_ pid: Int32?) -> String {
        pid.map { "pid \($0)" } ?? "pid unknown"
    }
}
