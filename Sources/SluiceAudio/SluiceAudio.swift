import SluiceCore
/// Audio decode/encode, resampling and Whisper log-mel features.
public enum SluiceAudio {}
