/// The largest and smallest of the last `window` values, in O(1) amortized work per value and O(window) memory
/// (two monotonic queues of candidates).
struct SlidingExtremes: Sendable {
    private var largest: MonotonicQueue, smallest: MonotonicQueue
    private var count = 0
    let window: Int

    init(window: Int) {
        self.window = window
        largest = MonotonicQueue(capacity: window, keepsLargest: true)
        smallest = MonotonicQueue(capacity: window, keepsLargest: false)
    }

    mutating func push(_ value: Double) {
        largest.push(value, at: count, window: window)
        smallest.push(value, at: count, window: window)
        count += 1
    }

    /// Largest minus smallest over the window (0 before any value).
    var range: Double { count == 0 ? 0 : largest.front - smallest.front }
}

/// Candidates for the window's extreme, oldest first: each is more extreme than every later one, so the front is
/// the extreme and a new value removes the candidates it beats.
struct MonotonicQueue: Sendable {
    private var indices: [Int], values: [Double]
    private var head = 0, count = 0
    let keepsLargest: Bool

    init(capacity: Int, keepsLargest: Bool) {
        indices = [Int](repeating: 0, count: capacity + 1)
        values = [Double](repeating: 0, count: capacity + 1)
        self.keepsLargest = keepsLargest
    }

    /// Adds the value at stream position `index` and drops candidates that left the last `window` positions.
    mutating func push(_ value: Double, at index: Int, window: Int) {
        while count > 0 {
            let back = values[(head + count - 1) % values.count]
            guard keepsLargest ? back <= value : back >= value else { break }
            count -= 1
        }
        let slot = (head + count) % values.count
        indices[slot] = index
        values[slot] = value
        count += 1
        while indices[head] <= index - window {
            head = (head + 1) % values.count
            count -= 1
        }
    }

    var front: Double { values[head] }
}
