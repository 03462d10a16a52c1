/// Bounds on what one series row may hold, so that a hostile or broken file fails with a clear error instead of
/// growing memory and time without end.
public enum SeriesLimits {
    /// The longest line read (CSV row or JSON Lines record), in bytes without its line end.
    public static let maxLineBytes = 1 << 20
    /// The most value columns (CSV) or fields (JSON Lines) a series may have.
    public static let maxChannels = 4096
    /// Characters of a bad cell or name quoted in an error message.
    public static let echoedCharacters = 40

    /// `text` as an error message quotes it: whole when short, else its first characters and "…".
    public static func echo(_ text: String) -> String {
        guard let cut = text.index(text.startIndex, offsetBy: echoedCharacters, limitedBy: text.endIndex), cut < text.endIndex
        else { return text }
        return text[..<cut] + "…"
    }
}
