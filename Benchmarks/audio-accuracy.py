"""Accuracy of Sluice's audio front end against references, measured through the `sluice` CLI.

1. Log-mel: `Pipelines/mel.yaml` on real LibriSpeech utterances vs the reference definition of
   Whisper's log_mel_spectrogram (NumPy float64 + librosa's Slaney filters; see
   Tests/SluiceAudioTests/Fixtures/make_logmel_fixture.py): max and mean absolute error.
2. Resampler: a linear sweep across the whole stopband (8.05 kHz .. input Nyquist) through
   `Pipelines/resample.yaml` (f32 output): the level that folds back below 8 kHz, in dB relative to
   the input; and passband tones' level change.

Usage: python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install numpy librosa soundfile
       /tmp/venv-ref/bin/python Benchmarks/audio-accuracy.py [N_UTTERANCES]
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests/SluiceAudioTests/Fixtures"))
from make_logmel_fixture import log_mel  # noqa: E402

SLUICE = os.path.join(ROOT, ".build/release/sluice")


def sluice(*args, stdin=None):
    subprocess.run([SLUICE, *args], input=stdin, check=True, cwd=ROOT, capture_output=True)


def level_db(signal):
    middle = signal[len(signal) // 10: len(signal) * 9 // 10].astype(np.float64)
    return 10 * np.log10(max(np.mean(middle ** 2), 1e-30))


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    subprocess.run(["swift", "build", "-c", "release"], check=True, cwd=ROOT, capture_output=True)
    files = sorted(glob.glob(os.path.join(ROOT, "../shared/data/librispeech/LibriSpeech/test-other/*/*/*.flac")))[:count]
    errors = []
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            out = os.path.join(work, "mel.npy")
            sluice("run", "Pipelines/mel.yaml", "-i", path, "-o", out)
            ours = np.load(out)
            audio, _ = soundfile.read(path, dtype="float32")
            reference = log_mel(audio)
            assert ours.shape == reference.shape, (ours.shape, reference.shape)
            errors.append((np.abs(ours - reference).max(), np.abs(ours - reference).mean(), len(audio) / 16000))
        errors = np.array(errors)
        print(f"log-mel vs reference on {len(files)} LibriSpeech utterances ({errors[:, 2].sum():.0f} s of audio)")
        print(f"  max abs error  {errors[:, 0].max():.2e}   (target < 1e-4)")
        print(f"  mean abs error {errors[:, 1].mean():.2e}")

        print("resampler (Pipelines/resample.yaml, soxr HQ), f32 output")
        print(f"  {'input rate':>10}  {'stopband sweep → aliasing dB':>28}  {'passband tones Δ dB (max)':>25}")
        for rate in (44100, 48000, 96000):
            t = np.arange(int(rate * 4)) / rate
            f0, f1 = 8050.0, rate / 2 - 50
            sweep = 0.5 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / 4 * t ** 2 / 2))
            tones = [0.5 * np.sin(2 * np.pi * f * t[: rate]) for f in (100, 1000, 4000, 7000)]
            results = []
            for signal in [sweep] + tones:
                out = os.path.join(work, "out.wav")
                sluice("run", "Pipelines/resample.yaml", "-i", "-", "-o", out, "--set", "input.format=f32le",
                       "--set", f"input.sample_rate_hz={rate}", "--set", "output.sample_format=f32",
                       stdin=signal.astype("<f4").tobytes())
                converted, out_rate = soundfile.read(out, dtype="float32")
                assert out_rate == 16000
                results.append(level_db(converted) - level_db(signal))
            print(f"  {rate:>10}  {results[0]:>28.1f}  {max(abs(x) for x in results[1:]):>25.4f}")


if __name__ == "__main__":
    main()
