#!/usr/bin/env python3
"""Make a long 16 kHz mono 16-bit WAV of real speech for the long-form Whisper benchmark.

Usage: make-long.py OUT.wav [SECONDS [PART]]   (default 600; 300 for the 5-minute variant)

Concatenates the benchmark's LibriSpeech utterances (librispeech.py, sorted path order) with 0.5 s
of digital silence between them, taking utterances while the total stays within SECONDS (so the
file is a little shorter than asked). PART k (default 0) skips the first k such files' utterances:
with 320 s, parts 0, 1 and 2 are three streams of 316, 316 and 206 s that hold all 104 utterances. Writes the reference transcript, the utterances' upper-case
texts joined by spaces, to OUT.txt next to the WAV. Deterministic: same data, same bytes.
"""
import os
import sys

import numpy as np
import soundfile as sf

from librispeech import stream_parts

RATE = 16000
GAP = np.zeros(RATE // 2, dtype=np.int16)


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__)
    out = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    part = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    chosen = stream_parts(seconds, part, RATE, len(GAP))
    pieces = []
    for audio, _ in chosen:
        pieces += [GAP, audio] if pieces else [audio]
    sf.write(out, np.concatenate(pieces), RATE, subtype="PCM_16")
    with open(os.path.splitext(out)[0] + ".txt", "w") as f:
        f.write(" ".join(text for _, text in chosen) + "\n")
    total = sum(len(p) for p in pieces)
    print(f"{out}: {total / RATE:.1f} s, {len(chosen)} utterances", file=sys.stderr)


if __name__ == "__main__":
    main()
