"""Training data for the codec: the speech corpora in ../shared/data, held-out speakers split off, and random
crops with gain, EQ and background-noise augmentation. Input and target are the same augmented crop: a codec
reconstructs what it is given, noise included.

All randomness comes from one numpy Generator passed in by the caller, so a checkpoint that saves its state
resumes the exact data order.
"""
import math
from pathlib import Path

import numpy as np
import soundfile
from scipy.signal import lfilter, resample_poly

RATE = 16000
# Speakers never seen in training; the benchmark evaluates on them.
HELD_OUT_SPEAKERS = ["1089", "3331", "533"]


def read_16k(path):
    """A file as float32 mono at 16 kHz (22.05 and 44.1/48 kHz sources resampled by polyphase filtering)."""
    audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    audio = audio.mean(1)
    if rate != RATE:
        g = math.gcd(rate, RATE)
        audio = resample_poly(audio, RATE // g, rate // g).astype(np.float32)
    return audio


def load_corpus(data_root):
    """(train, held_out, noise): lists of 16 kHz float32 arrays.

    Train: speech-train (LibriSpeech train-clean-100 subset, LJSpeech subset) and the LibriSpeech test
    utterances except the held-out speakers; held_out: those speakers' utterances, sorted by path."""
    root = Path(data_root)
    train, held_out = [], []
    for path in sorted((root / "speech-train").rglob("*.flac")):
        train.append(read_16k(path))
    for path in sorted((root / "librispeech" / "LibriSpeech").rglob("*.flac")):
        (held_out if path.name.split("-")[0] in HELD_OUT_SPEAKERS else train).append(read_16k(path))
    noise = [read_16k(p) for p in sorted((root / "noise").rglob("*.flac"))]
    return train, held_out, noise


def biquad(kind, f0, gain_db, q):
    """RBJ cookbook peaking / low-shelf / high-shelf filter coefficients (b, a), normalized by a0."""
    a_gain = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * f0 / RATE
    cos_w, alpha = math.cos(w0), math.sin(w0) / (2 * q)
    if kind == "peak":
        b = [1 + alpha * a_gain, -2 * cos_w, 1 - alpha * a_gain]
        a = [1 + alpha / a_gain, -2 * cos_w, 1 - alpha / a_gain]
    else:
        sq = 2 * math.sqrt(a_gain) * alpha
        sign = 1 if kind == "low" else -1
        b = [a_gain * ((a_gain + 1) - sign * (a_gain - 1) * cos_w + sq),
             sign * 2 * a_gain * ((a_gain - 1) - sign * (a_gain + 1) * cos_w),
             a_gain * ((a_gain + 1) - sign * (a_gain - 1) * cos_w - sq)]
        a = [(a_gain + 1) + sign * (a_gain - 1) * cos_w + sq,
             -sign * 2 * ((a_gain - 1) + sign * (a_gain + 1) * cos_w),
             (a_gain + 1) + sign * (a_gain - 1) * cos_w - sq]
    return np.array(b) / a[0], np.array(a) / a[0]


def random_eq(crop, rng):
    """A low shelf (80-400 Hz), a peak (300-4000 Hz) and a high shelf (2-6 kHz), each +-6 dB."""
    for kind, low, high in (("low", 80, 400), ("peak", 300, 4000), ("high", 2000, 6000)):
        f0 = math.exp(rng.uniform(math.log(low), math.log(high)))
        b, a = biquad(kind, f0, rng.uniform(-6, 6), 0.707 if kind != "peak" else rng.uniform(0.5, 2.0))
        crop = lfilter(b, a, crop)
    return crop


class Augmenter:
    """Random crops of `samples` with: EQ (probability p_eq), background noise at an SNR drawn from
    [snr_low, snr_high] dB (probability p_noise), and a random peak level between -20 and -1 dBFS."""

    def __init__(self, utterances, noise, samples, p_eq=0.5, p_noise=0.3, snr=(5.0, 30.0)):
        self.utterances, self.noise, self.samples = utterances, noise, samples
        self.p_eq, self.p_noise, self.snr = p_eq, p_noise, snr
        # Sample utterances in proportion to their length, so every second of speech is equally likely.
        lengths = np.array([len(u) for u in utterances], dtype=np.float64)
        self.weights = lengths / lengths.sum()

    def crop(self, audio, rng):
        if len(audio) <= self.samples:
            out = np.zeros(self.samples, dtype=np.float64)
            out[:len(audio)] = audio
            return out
        start = rng.integers(0, len(audio) - self.samples + 1)
        return audio[start:start + self.samples].astype(np.float64)

    def example(self, rng):
        x = self.crop(self.utterances[rng.choice(len(self.utterances), p=self.weights)], rng)
        if rng.random() < self.p_eq:
            x = random_eq(x, rng)
        if self.noise and rng.random() < self.p_noise:
            n = self.crop(self.noise[rng.integers(len(self.noise))], rng)
            px, pn = np.mean(x ** 2) + 1e-10, np.mean(n ** 2) + 1e-10
            snr = rng.uniform(*self.snr)
            x = x + n * math.sqrt(px / (pn * 10 ** (snr / 10)))
        peak = max(np.abs(x).max(), 1e-4)
        return (x / peak * 10 ** (rng.uniform(-20, -1) / 20)).astype(np.float32)

    def batch(self, size, rng):
        """[size, 1, samples] float32."""
        return np.stack([self.example(rng) for _ in range(size)])[:, None]
