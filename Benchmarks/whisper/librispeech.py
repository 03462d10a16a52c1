#!/usr/bin/env python3
"""The benchmark's 104 LibriSpeech utterances: test-other (100) and test-clean/1089 (4).

Data directory: $SLUICE_DATA, else <repo root>/../shared/data (never inside the repo; tests must
not read it). Run as a script, prints the utterance paths, one a line, in sorted path order.
"""
import glob
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATTERNS = ["test-clean/1089/*/*.flac", "test-other/*/*/*.flac"]


def data_dir():
    return os.environ.get("SLUICE_DATA") or os.path.normpath(os.path.join(REPO, "..", "shared", "data"))


def utterances():
    """Sorted list of the utterance FLAC paths."""
    root = os.path.join(data_dir(), "librispeech", "LibriSpeech")
    paths = sorted(p for pattern in PATTERNS for p in glob.glob(os.path.join(root, pattern)))
    if not paths:
        sys.exit(f"no LibriSpeech utterances under {root} (set SLUICE_DATA)")
    return paths


def references(paths):
    """{utterance id: upper-case reference text} from the *.trans.txt next to the given FLACs."""
    refs = {}
    for trans in sorted({glob.glob(os.path.join(os.path.dirname(p), "*.trans.txt"))[0] for p in paths}):
        with open(trans) as f:
            for line in f:
                uid, _, text = line.strip().partition(" ")
                refs[uid] = text
    return refs


def stream_parts(seconds, part=0, rate=16000, gap_samples=8000):
    """The utterances of stream PART: [(int16 audio, reference text)] whose audio with GAP_SAMPLES of pause
    between them stays within SECONDS (make-long.py's selection: part k skips the first k such streams)."""
    import numpy as np
    import soundfile as sf

    paths = utterances()
    refs = references(paths)
    chosen, total = [], 0
    for path in paths:
        audio, file_rate = sf.read(path, dtype="int16")
        assert file_rate == rate and audio.ndim == 1, f"{path}: expected {rate} Hz mono"
        added = len(audio) + (gap_samples if chosen else 0)
        if total + added > seconds * rate:
            if part == 0:
                break
            part -= 1
            chosen, total, added = [], 0, len(audio)
        chosen.append((np.asarray(audio), refs[os.path.basename(path)[:-len(".flac")]]))
        total += added
    if part > 0:
        sys.exit(f"the utterances make fewer parts of {seconds:g} s")
    return chosen


if __name__ == "__main__":
    print(data_dir() if sys.argv[1:] == ["--data-dir"] else "\n".join(utterances()))
