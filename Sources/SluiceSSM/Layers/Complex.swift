import Foundation

/// A Double complex number for the discretisation arithmetic (not the hot loops, which keep re/im arrays).
struct Complex: Equatable {
    var re: Double, im: Double

    init(_ re: Double, _ im: Double) {
        self.re = re
        self.im = im
    }

    func scaled(_ factor: Double) -> Complex { Complex(re * factor, im * factor) }

    /// e^z.
    func exp() -> Complex {
        let magnitude = Foundation.exp(re)
        return Complex(magnitude * cos(im), magnitude * sin(im))
    }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func * (a: Complex, b: Complex) -> Complex { Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }

    static func / (a: Complex, b: Complex) -> Complex {
        let denominator = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / denominator, (a.im * b.re - a.re * b.im) / denominator)
    }
}
