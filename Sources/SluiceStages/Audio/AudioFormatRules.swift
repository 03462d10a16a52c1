import SluiceAudio
import SluiceCore

/// Format checks shared by audio stages.
public enum AudioFormatRules {
    /// The input's audio format, or a mismatch naming what was expected.
    public static func audio(_ format: StreamFormat, needs: String) throws -> AudioFormat {
        guard case .audio(let audio) = format else {
            throw FormatMismatch("needs \(needs), gets \(format)")
        }
        return audio
    }

    /// Requires concrete 16 kHz mono audio (Whisper's front end), suggesting a resampler otherwise.
    public static func requireMono16k(_ format: StreamFormat) throws {
        let audio = try audio(format, needs: "audio (16000 Hz, mono)")
        guard audio.sampleRate == 16000, audio.channels == 1 else {
            throw FormatMismatch(
                "needs audio (16000 Hz, mono), gets \(format)",
                suggestedConverter: "{ type: audio.resample, sample_rate_hz: 16000, channels: 1 }")
        }
    }
}
