/// A streaming recognizer: 16 kHz mono audio in as it arrives, ``StreamEvent``s out. Transcription
/// (``StreamingTranscriber``) and simultaneous translation (SluiceSimul's `SimulTranslator`) are two; one
/// engine stage (`RecognizerStage`) drives either, and so does the service's stream session through it.
public protocol StreamingRecognizer: AnyObject {
    /// Adds samples; returns the events of the steps they complete.
    func push(_ samples: [Float]) throws -> [StreamEvent]
    /// End of stream: decodes what is buffered and makes every pending word final.
    func finish() throws -> [StreamEvent]
}
