#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's open-file limit, which every connection counts against, and the connection cap that fits
/// under it.
public enum FileDescriptorLimit {
    /// Descriptors kept for what is not a connection: the listener, standard streams, the event loops'
    /// own, model files and uploads' temporary files.
    public static let reserve = 64
    /// The fewest connections the server runs with.
    public static let minimumConnections = 16

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit; returns the soft limit now in force (nil when it
    /// cannot be read, or is unlimited).
    public static func raiseToHardLimit() -> Int? {
        var limits = rlimit()
        guard getrlimit(resource, &limits) == 0 else { return nil }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(resource, &raised) == 0 { limits = raised }
        }
        guard limits.rlim_cur != rlim_t.max, limits.rlim_cur <= rlim_t(Int.max) else { return nil }
        return Int(limits.rlim_cur)
    }

    /// The connection cap for `requested` under a limit of `descriptors` open files: `requested`, lowered
    /// to leave `reserve` descriptors free (but never below `minimumConnections`).
    public static func connectionCap(requested: Int, descriptors: Int?) -> Int {
        guard let descriptors else { return requested }
        return min(requested, max(minimumConnections, descriptors - reserve))
    }

    #if canImport(Glibc)
        private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif
}
