#!/usr/bin/env python3
"""Load client for `sluice serve` (run with the bench venv's python: soundfile, the latency benchmark's normalizer).

Usage:
  serve_load.py streams PORT WAV OFFLINE.json COUNT   COUNT concurrent WebSocket streams of WAV (16 kHz mono
      s16), each sent at real time in 100 ms messages; prints one JSON line: word latency (the time the client
      received the word's final event − the word's end in OFFLINE.json, a verbose_json with word times, both
      from the start of sending), median/p90 over all streams' words, per-stream medians, and how far behind
      real time the last final came (lag_s).
  serve_load.py http PORT FILE COUNT [PID]            COUNT sequential POST /v1/audio/transcriptions of FILE;
      prints one JSON line: p50/p95 latency, and the server's RSS (MB, from /proc/PID/status) every 10% of
      the requests.
"""
import asyncio
import difflib
import http.client
import json
import os
import statistics
import sys
import time
import uuid

import soundfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "streaming"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Scripts"))
from latency import words_of  # noqa: E402  (the latency benchmark's text normalizer)
from stream_client import stream  # noqa: E402  (the WebSocket client)

def received_events(port, pcm, rate):
    """[(receive time from the first send, event)] of one real-time stream."""
    events = []
    return stream("127.0.0.1", port, pcm, rate, True, lambda t, e: events.append((t, e))), events


def latencies(events, offline_words):
    """Received-at − word end for each final word matched to the offline transcript."""
    finals = [(token, received) for received, event in events if event["type"] == "final"
              for word in event["words"] for token in words_of(word["word"])]
    matcher = difflib.SequenceMatcher(a=[w for w, _ in finals], b=[w for w, _ in offline_words], autojunk=False)
    return [finals[b.a + k][1] - offline_words[b.b + k][1] for b in matcher.get_matching_blocks() for k in range(b.size)]


def percentile(values, fraction):
    values = sorted(values)
    return values[int(fraction * (len(values) - 1))] if values else None


def streams(port, wav, offline_path, count):
    audio, rate = soundfile.read(wav, dtype="int16")
    pcm = audio.tobytes()
    offline = json.load(open(offline_path))
    offline_words = [(token, word["end"]) for segment in offline["segments"] for word in segment.get("words") or []
                     for token in words_of(word["word"])]

    runs = [received_events(port, pcm, rate) for _ in range(count)]

    async def run():
        await asyncio.gather(*(coroutine for coroutine, _ in runs))

    asyncio.run(run())
    results = [events for _, events in runs]
    per_stream = [latencies(events, offline_words) for events in results]
    everything = [value for values in per_stream for value in values]
    duration = len(audio) / rate
    lags = [max((received for received, event in events if event["type"] == "final"), default=duration) - duration
            for events in results]
    print(json.dumps(separators=(",", ":"), obj={
        "streams": count,
        "matched_words": len(everything),
        "offline_words": len(offline_words) * count,
        "median_latency_s": round(statistics.median(everything), 3) if everything else None,
        "p90_latency_s": round(percentile(everything, 0.9), 3) if everything else None,
        "stream_medians_s": [round(statistics.median(v), 3) if v else None for v in per_stream],
        "max_lag_s": round(max(lags), 3),
    }))


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def uploads(port, path, count, pid):
    boundary = uuid.uuid4().hex
    data = open(path, "rb").read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    times, rss = [], []
    if pid:
        rss.append((0, rss_mb(pid)))
    for i in range(count):
        started = time.monotonic()
        connection.request("POST", "/v1/audio/transcriptions", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"request {i}: HTTP {response.status}")
        times.append(time.monotonic() - started)
        if pid and (i + 1) % max(1, count // 10) == 0:
            rss.append((i + 1, rss_mb(pid)))
    print(json.dumps(separators=(",", ":"), obj={
        "requests": count,
        "p50_s": round(percentile(times, 0.5), 3),
        "p95_s": round(percentile(times, 0.95), 3),
        "rss_mb": rss,
    }))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("streams", "http"):
        sys.exit(__doc__)
    if sys.argv[1] == "streams":
        port, wav, offline, count = sys.argv[2:6]
        streams(int(port), wav, offline, int(count))
    else:
        port, path, count = sys.argv[2:5]
        uploads(int(port), path, int(count), sys.argv[5] if len(sys.argv) > 5 else None)


if __name__ == "__main__":
    main()
