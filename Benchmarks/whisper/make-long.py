#!/usr/bin/env python3
"""Make a long 16 kHz mono 16-bit WAV of real speech for the long-form Whisper benchmark.

Usage: make-long.py OUT.wav [SECONDS]   (default 600; 300 for the 5-minute variant)

Concatenates the benchmark's LibriSpeech utterances (librispeech.py, sorted path order) with 0.5 s
of digital silence between them, taking utterances while the total stays within SECONDS (so the
file is a little shorter than asked). Writes the reference transcript, the utterances' upper-case
texts joined by spaces, to OUT.txt next to the WAV. Deterministic: same data, same bytes.
"""
import os
import sys

import numpy as np
import soundfile as sf

from librispeech import references, utterances

RATE = 16000
GAP = np.zeros(RATE // 2, dtype=np.int16)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out, seconds = sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 600.0
    paths = utterances()
    refs = references(paths)

    pieces, texts, total = [], [], 0
    for path in paths:
        audio, rate = sf.read(path, dtype="int16")
        assert rate == RATE and audio.ndim == 1, f"{path}: expected 16 kHz mono"
        added = len(audio) + (len(GAP) if pieces else 0)
        if total + added > seconds * RATE:
            break
        if pieces:
            pieces.append(GAP)
        pieces.append(audio)
        texts.append(refs[os.path.basename(path)[:-len(".flac")]])
        total += added

    sf.write(out, np.concatenate(pieces), RATE, subtype="PCM_16")
    with open(os.path.splitext(out)[0] + ".txt", "w") as f:
        f.write(" ".join(texts) + "\n")
    print(f"{out}: {total / RATE:.1f} s, {len(texts)} utterances", file=sys.stderr)


if __name__ == "__main__":
    main()
