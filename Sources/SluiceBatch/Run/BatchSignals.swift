import Dispatch
import Foundation
import SluiceCore

/// SIGINT/SIGTERM during a batch: the first lets the running inputs finish (no new one starts), a
/// second cancels them. Handlers stay installed until this object is released.
public final class BatchSignals: @unchecked Sendable {  // `count` is touched only on `queue`
    private let queue = DispatchQueue(label: "sluice.batch.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var count = 0

    public init(runner: BatchRunner, drainSeconds: Double, onSignal: @escaping @Sendable (String) -> Void) {
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            let name = signo == SIGINT ? "SIGINT" : "SIGTERM"
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    onSignal("\(name): finishing the running inputs (up to \(drainSeconds.formatted(maxFractionDigits: 1)) s; a second signal cancels them)")
                    runner.interrupt()
                } else if count == 2 {
                    onSignal("\(name) (second signal): cancelling the running inputs")
                    runner.cancel()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
