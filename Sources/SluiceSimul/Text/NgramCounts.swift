extension Array where Element: Hashable {
    /// How often each run of `order` consecutive elements occurs; empty when there are fewer than `order`.
    func ngramCounts(order: Int) -> [[Element]: Int] {
        var counts: [[Element]: Int] = [:]
        guard order >= 1, order <= count else { return counts }
        for start in 0...(count - order) {
            counts[Array(self[start..<start + order]), default: 0] += 1
        }
        return counts
    }
}
