"""Golden log-mel fixture for LogMelSpectrogramTests, made with the reference definition.

Whisper's `log_mel_spectrogram` (whisper/audio.py) is: torch.stft(n_fft=400, hop=160,
window=hann_window(400) (periodic), center=True, pad_mode="reflect"), drop the last frame, power
|X|^2, mel filters = librosa.filters.mel(sr=16000, n_fft=400, n_mels=80) (Slaney scale and norm,
which is what mel_filters.npz holds), log10(clamp(x, 1e-10)), max(x, x.max() - 8), (x + 4) / 4.
This script does the same in float64 NumPy with librosa's filters (no torch needed).

Run (outside the repository's build):
    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install numpy librosa soundfile
    /tmp/venv-ref/bin/python make_logmel_fixture.py ../../../Samples/1089-134686-0001.flac
Writes logmel_input.f32 (16 kHz mono float32 LE, the first 2.0 s + 37 samples of the clip, so the
length is not a multiple of the hop) and logmel_expected.f32 (frames x 80 float32 LE, normalised).
"""
import sys

import librosa
import numpy as np
import soundfile

N_FFT, HOP, N_MELS = 400, 160, 80


def log_mel(audio: np.ndarray) -> np.ndarray:
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # torch.hann_window(400), periodic
    padded = np.pad(audio.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = 1 + (len(padded) - N_FFT) // HOP
    stft = np.stack([np.fft.rfft(padded[i * HOP:i * HOP + N_FFT] * window) for i in range(frames)], axis=1)
    power = np.abs(stft[:, :-1]) ** 2  # drop the last frame, as whisper does
    filters = librosa.filters.mel(sr=16000, n_fft=N_FFT, n_mels=N_MELS).astype(np.float64)
    mel = filters @ power
    logs = np.log10(np.maximum(mel, 1e-10))
    logs = np.maximum(logs, logs.max() - 8.0)
    return ((logs + 4.0) / 4.0).T  # frames x mels


def main() -> None:
    audio, rate = soundfile.read(sys.argv[1], dtype="float32")
    assert rate == 16000 and audio.ndim == 1
    clip = audio[: 2 * 16000 + 37]
    clip.astype("<f4").tofile("logmel_input.f32")
    expected = log_mel(clip).astype("<f4")
    expected.tofile("logmel_expected.f32")
    print(f"{len(clip)} samples -> {expected.shape[0]} frames x {expected.shape[1]} mels")


if __name__ == "__main__":
    main()
