import Foundation

/// The standard `process_*` metrics (as Prometheus's client libraries export them), read from Linux's `/proc`:
/// memory, CPU time, open and allowed file descriptors, start time.
struct ProcessMetrics: Equatable {
    var residentMemoryBytes: Int
    var virtualMemoryBytes: Int
    var cpuSeconds: Double
    var openFileDescriptors: Int
    var maxFileDescriptors: Int?
    /// Seconds since the Unix epoch.
    var startTimeSeconds: Double

    /// This process's figures now; nil where `/proc` cannot be read (not Linux).
    static func current() -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let fields = StatFields(stat), let bootTime = bootTime(system)
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        let limits = (try? String(contentsOfFile: "/proc/self/limits", encoding: .utf8)).flatMap(maxOpenFiles)
        return ProcessMetrics(
            residentMemoryBytes: fields.residentPages * pageSize, virtualMemoryBytes: fields.virtualBytes,
            cpuSeconds: Double(fields.userTicks + fields.systemTicks) / ticks,
            openFileDescriptors: max(0, descriptors - 1),  // less the one listing the folder
            maxFileDescriptors: limits, startTimeSeconds: Double(bootTime) + Double(fields.startTicks) / ticks)
    }

    /// The figures `/proc/self/stat` gives (its fields from the process's state on, counted from 3 as proc(5) does).
    struct StatFields: Equatable {
        var userTicks: Int
        var systemTicks: Int
        var startTicks: Int
        var virtualBytes: Int
        var residentPages: Int

        /// Parses the line; the command name (field 2) may hold spaces and parentheses, so fields are read after its last `)`.
        init?(_ line: String) {
            guard let close = line.lastIndex(of: ")") else { return nil }
            let fields = line[line.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Int? { fields.count > number - 3 ? Int(fields[number - 3]) : nil }
            guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23), let resident = field(24)
            else { return nil }
            (userTicks, systemTicks, startTicks, virtualBytes, residentPages) = (user, system, start, virtual, resident)
        }
    }

    /// The boot time (`btime`, seconds since the epoch) from `/proc/stat`.
    static func bootTime(_ text: String) -> Int? {
        text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    /// The soft open-file limit from `/proc/self/limits` (nil when unlimited or absent).
    static func maxOpenFiles(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Int($0) }
    }

    /// Appends the `process_*` families.
    func render(into text: inout PrometheusText) {
        text.family("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.")
        text.sample("process_cpu_seconds_total", [:], cpuSeconds)
        text.family("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.")
        text.sample("process_resident_memory_bytes", [:], residentMemoryBytes)
        text.family("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.")
        text.sample("process_virtual_memory_bytes", [:], virtualMemoryBytes)
        text.family("process_open_fds", .gauge, "Number of open file descriptors.")
        text.sample("process_open_fds", [:], openFileDescriptors)
        if let maxFileDescriptors {
            text.family("process_max_fds", .gauge, "Maximum number of open file descriptors.")
            text.sample("process_max_fds", [:], maxFileDescriptors)
        }
        text.family("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.")
        text.sample("process_start_time_seconds", [:], startTimeSeconds)
    }
}
