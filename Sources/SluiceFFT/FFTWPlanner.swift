import Foundation

/// The one lock around FFTW's planner: it keeps global tables, so making or destroying plans on two
/// threads at once corrupts the heap. Every FFTW plan in Sluice is made and destroyed through it.
enum FFTWPlanner {
    private static let lock = NSLock()

    /// Runs `body` (which makes or destroys plans) while no other thread plans.
    static func withLock<Result>(_ body: () -> Result) -> Result { lock.withLock(body) }
}
