extension String {
    /// A string made of exactly these scalars, with no normalization (Swift keeps them as given).
    init(unicodeScalars scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}

extension Array where Element == Unicode.Scalar {
    /// Whether `pattern` occurs here starting exactly at `offset`.
    func hasOccurrence(of pattern: [Unicode.Scalar], at offset: Int) -> Bool {
        count - offset >= pattern.count && self[offset..<offset + pattern.count].elementsEqual(pattern)
    }
}
