#!/usr/bin/env python3
"""Word latency and WER of a streaming transcript (JSONL events) against offline word timestamps.

Usage: latency.py EVENTS.jsonl OFFLINE.json REFERENCE.txt AUDIO_SECONDS [BUSY_SECONDS]
  EVENTS.jsonl  the stream's events ({"type":"final", "words":[...], "emitted_at":…} per line)
  OFFLINE.json  verbose_json with word timestamps of the same audio (the word end times)
  REFERENCE.txt the reference text
Prints one line of JSON: final words, matched words, median/p90 latency (emitted_at − the word's end in the
offline transcript), final-lane WER against the reference and against the offline text, offline WER, RTF,
the substitutions, deletions and insertions of the stream and of offline decoding against the reference,
the reference's word count, and every matched word's latency (for pooling streams).
"""
import difflib
import json
import statistics
import sys

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer

normalize = EnglishTextNormalizer()


def words_of(text):
    return normalize(text).split()


def main():
    events_path, offline_path, reference_path, audio_seconds = sys.argv[1:5]
    busy = float(sys.argv[5]) if len(sys.argv) > 5 else None
    finals = []  # (normalized word, emitted_at)
    final_text = []
    for line in open(events_path):
        event = json.loads(line)
        if event["type"] != "final":
            continue
        final_text.append(event["text"])
        for word in event["words"]:
            for token in words_of(word["word"]):
                finals.append((token, event["emitted_at"]))
    offline = json.load(open(offline_path))
    offline_words = []  # (normalized word, end)
    for segment in offline["segments"]:
        for word in segment.get("words") or []:
            for token in words_of(word["word"]):
                offline_words.append((token, word["end"]))
    matcher = difflib.SequenceMatcher(a=[w for w, _ in finals], b=[w for w, _ in offline_words], autojunk=False)
    latencies = []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            latencies.append(finals[block.a + k][1] - offline_words[block.b + k][1])
    latencies.sort()
    reference = normalize(open(reference_path).read())
    stream_text = normalize(" ".join(final_text))
    offline_text = normalize(offline["text"])
    errors = lambda text: (lambda o: [o.substitutions, o.deletions, o.insertions])(jiwer.process_words(reference, text))
    p90 = latencies[int(0.9 * (len(latencies) - 1))] if latencies else None
    print(json.dumps(separators=(",", ":"), obj={
        "final_words": len(finals),
        "matched": len(latencies),
        "median_latency_s": round(statistics.median(latencies), 3) if latencies else None,
        "p90_latency_s": round(p90, 3) if p90 is not None else None,
        "wer_vs_reference": round(100 * jiwer.wer(reference, stream_text), 2),
        "wer_vs_offline": round(100 * jiwer.wer(offline_text, stream_text), 2),
        "offline_wer": round(100 * jiwer.wer(reference, offline_text), 2),
        "stream_sdi": errors(stream_text),
        "offline_sdi": errors(offline_text),
        "rtf": round(busy / float(audio_seconds), 3) if busy is not None else None,
        "reference_words": len(reference.split()),
        "latencies": [round(x, 3) for x in latencies],
    }))


if __name__ == "__main__":
    main()
