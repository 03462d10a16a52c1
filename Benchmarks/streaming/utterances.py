#!/usr/bin/env python3
"""WER of the benchmark utterances streamed one by one (each its own stream) against offline decoding.

Usage: utterances.py WORK_DIR   (WORK_DIR/offline/ID.json and WORK_DIR/stream/ID.jsonl, as
Benchmarks/streaming-utterances.sh writes them)
Prints a table: utterances, words, offline WER, streamed WER (final lane), first words right.
"""
import json
import os
import sys

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "whisper"))
from librispeech import references, utterances  # noqa: E402

normalize = EnglishTextNormalizer()


def main():
    work = sys.argv[1]
    paths = utterances()
    refs = references(paths)
    rows = {"offline": [], "stream": []}
    texts = []
    for path in paths:
        uid = os.path.basename(path)[: -len(".flac")]
        offline = json.load(open(os.path.join(work, "offline", uid + ".json")))["text"]
        with open(os.path.join(work, "stream", uid + ".jsonl")) as f:
            events = [json.loads(line) for line in f]
        streamed = " ".join(e["text"] for e in events if e["type"] == "final")
        texts.append(normalize(refs[uid]))
        rows["offline"].append(normalize(offline))
        rows["stream"].append(normalize(streamed))
    words = sum(len(t.split()) for t in texts)
    print(f"{'decoding':<10} {'utterances':>10} {'words':>6} {'WER %':>6} {'first word right':>17}")
    for name, hyps in rows.items():
        first = sum(1 for r, h in zip(texts, hyps) if r.split()[:1] == h.split()[:1])
        print(f"{name:<10} {len(texts):>10} {words:>6} {100 * jiwer.wer(texts, hyps):>6.2f} {first:>13}/{len(texts)}")


if __name__ == "__main__":
    main()
