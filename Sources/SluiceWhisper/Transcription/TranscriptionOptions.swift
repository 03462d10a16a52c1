import SluiceAudio

/// How ``Transcriber`` goes through a long input window by window: what one window's decoding does not decide.
public struct TranscriptionOptions: Sendable {
    /// How each window is decoded.
    public var decoding = DecodingOptions()
    /// Prompt each window with the text decoded so far.
    public var conditionOnPreviousText = true
    /// Stop conditioning after a window that needed a temperature above this.
    public var promptResetOnTemperature: Float = 0.5
    /// Text that primes the first window (names, spelling, style).
    public var initialPrompt: String?
    /// Word-level times from the cross-attention alignment heads.
    public var wordTimestamps = false
    /// Skip windows without speech activity (silence, steady noise) instead of decoding them; nil decodes every window.
    public var speechGate: SpeechActivity? = SpeechActivity()

    public init(decoding: DecodingOptions = DecodingOptions()) {
        self.decoding = decoding
    }
}
