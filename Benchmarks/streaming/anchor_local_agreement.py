#!/usr/bin/env python3
"""The anchor: LocalAgreement-2 over faster-whisper, re-transcribing the buffer every step (as
whisper_streaming's OnlineASRProcessor does: beam 5, word timestamps, prompt from committed text, buffer
cut at committed words past 15 s), computation-aware at real time: a step sees exactly the audio that has
arrived by the wall clock. Writes the same JSONL final events as `sluice transcribe --stream`.

Usage: anchor_local_agreement.py MODEL_DIR AUDIO.wav [STEP_SECONDS] > events.jsonl
"""
import json
import sys
import time

import numpy as np
import soundfile
from faster_whisper import WhisperModel

RATE = 16000


def main():
    model_dir, audio_path = sys.argv[1:3]
    step = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    audio, rate = soundfile.read(audio_path, dtype="float32")
    assert rate == RATE, "the anchor reads 16 kHz mono"
    model = WhisperModel(model_dir, device="cpu", compute_type="float32", cpu_threads=2)
    committed, previous = [], []  # committed words; the last hypothesis's uncommitted words
    buffer_start = 0.0
    started = time.monotonic()
    consumed = 0.0
    while consumed < len(audio) / RATE:
        now = time.monotonic() - started
        if now - consumed < step:
            time.sleep(step - (now - consumed))
        consumed = min(len(audio) / RATE, time.monotonic() - started)
        buffer = audio[int(buffer_start * RATE):int(consumed * RATE)]
        prompt = "".join(w["word"] for w in committed if w["end"] <= buffer_start)[-200:]
        segments, _ = model.transcribe(buffer, language="en", beam_size=5, word_timestamps=True,
                                       condition_on_previous_text=True, initial_prompt=prompt or None)
        last_end = committed[-1]["end"] if committed else 0.0
        new = [dict(word=w.word, start=buffer_start + w.start, end=buffer_start + w.end)
               for s in segments for w in (s.words or [])]
        new = [w for w in new if w["start"] > last_end - 0.1]
        if new and committed and abs(new[0]["start"] - last_end) < 1:
            for n in range(min(5, len(committed), len(new)), 0, -1):
                if [w["word"].strip() for w in committed[-n:]] == [w["word"].strip() for w in new[:n]]:
                    new = new[n:]
                    break
        agreed = 0
        while agreed < min(len(new), len(previous)) and new[agreed]["word"].strip() == previous[agreed]["word"].strip():
            agreed += 1
        final, previous = new[:agreed], new[agreed:]
        emit(final, time.monotonic() - started, consumed)
        committed += final
        if committed and consumed - buffer_start > 15 and committed[-1]["end"] > buffer_start:
            buffer_start = committed[-1]["end"]
    emit(previous, time.monotonic() - started, consumed)


def emit(words, emitted_at, audio_end):
    if not words:
        return
    print(json.dumps({"type": "final", "start": words[0]["start"], "end": words[-1]["end"],
                      "text": "".join(w["word"] for w in words), "words": words,
                      "emitted_at": round(emitted_at, 3), "audio_end": round(audio_end, 3)}), flush=True)


if __name__ == "__main__":
    main()
