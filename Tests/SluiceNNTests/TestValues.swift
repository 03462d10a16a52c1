/// Deterministic pseudo-random test values in [-1, 1) (a linear congruential generator).
func testValues(_ count: Int, seed: inout UInt64) -> [Float] {
    (0..<count).map { _ in
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
    }
}
