/// IEEE 754 half precision.
public enum Half {
    /// IEEE half to single precision with integer operations (the compiler's conversion is a library call per value).
    @inline(__always)
    public static func toFloat(_ half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }  // infinity, NaN
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
