/// Deterministic pseudo-random test values in [-1, 1) (a linear congruential generator).
func testValues(_ count: Int, seed: inout UInt64) -> [Float] {
    (0..<count).map { _ in
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
    }
}
