/// The largest and smallest of a ring buffer's values (a sliding window), in O(1) amortized work per value: two
/// monotonic queues of candidate slots, 4 bytes a slot, reading the values from the ring itself.
struct SlidingExtremes: Sendable {
    private var largest: MonotonicQueue, smallest: MonotonicQueue

    init(window: Int) {
        largest = MonotonicQueue(capacity: window, keepsLargest: true)
        smallest = MonotonicQueue(capacity: window, keepsLargest: false)
    }

    /// Takes the value just written to `window[slot]`, replacing the ring's oldest value.
    mutating func push(slot: Int, window: [Double]) {
        largest.push(slot: slot, window: window)
        smallest.push(slot: slot, window: window)
    }

    /// Largest minus smallest over the window (0 before any value).
    func range(_ window: [Double]) -> Double {
        largest.isEmpty ? 0 : window[largest.front] - window[smallest.front]
    }
}

/// Candidate slots for the window's extreme, oldest first: each holds a value more extreme than every later one,
/// so the front is the extreme and a new value removes the candidates it beats.
struct MonotonicQueue: Sendable {
    private var slots: [Int32]
    private var head = 0, count = 0
    let keepsLargest: Bool

    init(capacity: Int, keepsLargest: Bool) {
        slots = [Int32](repeating: 0, count: capacity)
        self.keepsLargest = keepsLargest
    }

    var isEmpty: Bool { count == 0 }
    var front: Int { Int(slots[head]) }

    mutating func push(slot: Int, window: [Double]) {
        if count > 0, front == slot {  // the oldest candidate's value was just overwritten: it left the window
            head = (head + 1) % slots.count
            count -= 1
        }
        let value = window[slot]
        while count > 0 {
            let back = window[Int(slots[(head + count - 1) % slots.count])]
            guard keepsLargest ? back <= value : back >= value else { break }
            count -= 1
        }
        slots[(head + count) % slots.count] = Int32(slot)
        count += 1
    }
}
