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


if __name__ == "__main__":
    print("\n".join(utterances()))
