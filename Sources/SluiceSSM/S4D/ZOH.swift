import Foundation

/// Zero-order-hold discretisation of S4D's diagonal state matrix, in Double.
struct ZOHMode {
    /// dt·A, its exponential dA, and (dA − 1)/A (dB for B = 1).
    var dtA: Complex, dA: Complex, dB: Complex

    /// The modes of `log_dt` [banks] with `log_A_real`, `A_imag` [banks, perBank] (A = −exp(log_A_real) + i·A_imag),
    /// row-major.
    static func modes(logDt: [Float], logAReal: [Float], aImag: [Float]) -> [ZOHMode] {
        let perBank = logAReal.count / logDt.count
        return logAReal.indices.map { i in
            let a = Complex(-exp(Double(logAReal[i])), Double(aImag[i]))
            let dtA = a.scaled(exp(Double(logDt[i / perBank])))
            let dA = dtA.exp()
            return ZOHMode(dtA: dtA, dA: dA, dB: (dA - Complex(1, 0)) / a)
        }
    }
}
