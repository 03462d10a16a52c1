#!/usr/bin/env python3
"""Make a noisy speech stream: make-long.py's LibriSpeech utterances, each mixed with a real noise or music
recording at a fixed SNR, the noise running on through the pause after it.

Usage: mix-noise.py OUT.wav SNR_DB [SECONDS [PART [SEED]]]   (SECONDS 320, PART 0, SEED 1 by default)

Noise: ../shared/data/noise/freesound (14 CC0/CC BY clips: rain, crowd, typing, a train, music, film sound),
one chosen per utterance with a seeded generator, from a random offset, looped as needed. SNR is the
utterance's mean power over the noise's mean power over the same span. The whole stream is scaled down only
if a sample would clip (SNRs unchanged). Writes OUT.txt (the reference) and OUT.noise.txt (the clip of each
utterance). Deterministic: same data, same arguments, same bytes. SNR_DB "clean" writes the speech alone.
"""
import glob
import os
import sys

import numpy as np
import soundfile as sf
import soxr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "whisper"))
from librispeech import data_dir, stream_parts  # noqa: E402

RATE = 16000
GAP = RATE // 2


def noise_clips():
    """{name: 16 kHz mono float32 audio} of the noise recordings."""
    paths = sorted(glob.glob(os.path.join(data_dir(), "noise", "freesound", "*.flac")))
    if not paths:
        sys.exit(f"no noise recordings under {data_dir()}/noise/freesound")
    clips = {}
    for path in paths:
        audio, rate = sf.read(path, dtype="float32", always_2d=True)
        clips[os.path.basename(path)[:-len(".flac")]] = soxr.resample(audio.mean(axis=1), rate, RATE).astype(np.float32)
    return clips


def noise_span(clip, length, rng):
    """LENGTH samples of CLIP from a random offset, looped."""
    start = int(rng.integers(len(clip)))
    reps = (start + length) // len(clip) + 1
    return np.tile(clip, reps)[start:start + length]


def main():
    if len(sys.argv) not in range(3, 7):
        sys.exit(__doc__)
    out, snr = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 320.0
    part = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    chosen = stream_parts(seconds, part, RATE, GAP)
    clips = noise_clips()
    names = sorted(clips)
    pieces, used = [], []
    for index, (audio, _) in enumerate(chosen):
        speech = audio.astype(np.float32) / 32768
        span = len(speech) + (GAP if index + 1 < len(chosen) else 0)
        piece = np.zeros(span, dtype=np.float32)
        piece[:len(speech)] = speech
        name = names[int(rng.integers(len(names)))]
        if snr != "clean":
            noise = noise_span(clips[name], span, rng)
            gain = np.sqrt(np.mean(speech ** 2) / (np.mean(noise[:len(speech)] ** 2) * 10 ** (float(snr) / 10)))
            piece += gain * noise
        pieces.append(piece)
        used.append(name)
    stream = np.concatenate(pieces)
    peak = np.abs(stream).max()
    if peak > 0.999:
        stream *= 0.999 / peak
    sf.write(out, stream, RATE, subtype="PCM_16")
    stem = os.path.splitext(out)[0]
    with open(stem + ".txt", "w") as f:
        f.write(" ".join(text for _, text in chosen) + "\n")
    with open(stem + ".noise.txt", "w") as f:
        f.write("\n".join(used) + "\n")
    print(f"{out}: {len(stream) / RATE:.1f} s, {len(chosen)} utterances at {snr} dB SNR", file=sys.stderr)


if __name__ == "__main__":
    main()
