#!/usr/bin/env python3
"""Make a long 16 kHz mono 16-bit WAV that is about half silence, for the VAD benchmark.

Usage: make-silences.py OUT.wav [SECONDS]   (default 600)

The benchmark's LibriSpeech utterances (../whisper/librispeech.py, sorted path order) with a pause
after each one as long as the utterance itself times a seeded factor in [0.5, 1.5] (at least 2.5 s,
longer than the VAD's 2 s minimum silence), until SECONDS. The pauses are seeded white noise at
-70 dBFS (a quiet room, not digital zero). Writes the reference transcript (the utterances'
upper-case texts joined by spaces) to OUT.txt and the speech spans (seconds) to OUT.spans.
Deterministic: same data, same bytes.
"""
import os
import sys

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "whisper"))
from librispeech import references, utterances  # noqa: E402

RATE = 16000


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    paths = utterances()
    refs = references(paths)
    rng = np.random.default_rng(2024)
    pieces, texts, spans, total = [], [], [], 0
    for path in paths:
        audio, rate = sf.read(path, dtype="int16")
        assert rate == RATE and audio.ndim == 1, f"{path}: expected 16 kHz mono"
        pause = max(int(2.5 * RATE), int(len(audio) * rng.uniform(0.5, 1.5)))
        if total + len(audio) + pause > seconds * RATE:
            break
        noise = np.round(rng.standard_normal(pause) * 32768 * 10 ** (-70 / 20)).astype(np.int16)
        spans.append((total / RATE, (total + len(audio)) / RATE))
        pieces += [audio, noise]
        texts.append(refs[os.path.basename(path)[: -len(".flac")]])
        total += len(audio) + pause
    sf.write(out, np.concatenate(pieces), RATE, subtype="PCM_16")
    base = os.path.splitext(out)[0]
    with open(base + ".txt", "w") as f:
        f.write(" ".join(texts) + "\n")
    with open(base + ".spans", "w") as f:
        f.writelines(f"{a:.3f} {b:.3f}\n" for a, b in spans)
    speech = sum(b - a for a, b in spans)
    print(f"{out}: {total / RATE:.1f} s, {len(texts)} utterances, {speech:.1f} s of speech", file=sys.stderr)


if __name__ == "__main__":
    main()
