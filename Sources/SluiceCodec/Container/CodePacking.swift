/// Packs codes into bits, least significant bit first, padded with zero bits to a whole byte.
enum CodePacking {
    static func pack(_ codes: [Int32], bits: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (codes.count * bits + 7) / 8)
        var bit = 0
        for code in codes {
            for i in 0..<bits where (code >> i) & 1 == 1 { bytes[(bit + i) >> 3] |= 1 << ((bit + i) & 7) }
            bit += bits
        }
        return bytes
    }

    static func unpack(_ bytes: [UInt8], count: Int, bits: Int) -> [Int32] {
        (0..<count).map { index in
            var code: Int32 = 0
            for i in 0..<bits {
                let bit = index * bits + i
                code |= Int32((bytes[bit >> 3] >> (bit & 7)) & 1) << i
            }
            return code
        }
    }
}
