"""Regenerates the Silero VAD golden fixture from faster-whisper 1.2.1 and onnxruntime.

Run with a Python that has faster-whisper 1.2.1 and onnxruntime (Sluice's bench venv:
/root/.cache/sluice/bench-venv/bin/python), from the repository root:

    python Tests/SluiceVADTests/Fixtures/make_fixture.py

Writes next to this script:
- vad-input.wav: 8 s, 16 kHz mono PCM16: 0.6 s of zeros, the first 3 s of Samples/1089-134686-0001.flac,
  2.5 s of seeded noise at about -55 dBFS, the utterance's last 1.9 s (LibriSpeech, CC BY 4.0, as Samples/).
- vad-golden.json: the speech probability of every 512-sample window as faster-whisper's SileroVADModel
  (onnxruntime) gives it for the padded input; the speech regions of get_speech_timestamps on it for a few
  option sets; get_speech_timestamps on seeded synthetic probability sequences (the model patched out);
  and SpeechTimestampsMap's original times for a few chunk lists and times.
"""

import json
import os
import wave

import numpy as np

import faster_whisper.vad as vad
from faster_whisper import decode_audio

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
rate = 16000

speech = decode_audio(os.path.join(root, "Samples", "1089-134686-0001.flac"), sampling_rate=rate)
rng = np.random.default_rng(24)
pieces = [
    np.zeros(int(0.6 * rate), np.float32),
    speech[: 3 * rate],
    (rng.standard_normal(int(2.5 * rate)) * 10 ** (-55 / 20)).astype(np.float32),
    speech[-int(1.9 * rate) :],
]
audio = np.concatenate(pieces)
pcm = np.clip(np.round(audio * 32768), -32768, 32767).astype(np.int16)
with wave.open(os.path.join(here, "vad-input.wav"), "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(rate)
    out.writeframes(pcm.tobytes())
samples = pcm.astype(np.float32) / 32768

model = vad.get_vad_model()
padded = np.pad(samples, (0, 512 - samples.shape[0] % 512))
probabilities = model(padded)

option_sets = [
    {},
    {"min_silence_duration_ms": 300, "speech_pad_ms": 30},
    {"threshold": 0.6, "min_speech_duration_ms": 250, "min_silence_duration_ms": 100, "speech_pad_ms": 200},
    {"max_speech_duration_s": 1.5, "min_silence_duration_ms": 500},
]


def regions(options):
    found = vad.get_speech_timestamps(samples, vad.VadOptions(**options))
    return [[r["start"], r["end"]] for r in found]


input_regions = [{"options": options, "regions": regions(options)} for options in option_sets]

# get_speech_timestamps on synthetic probabilities: the model replaced by a function returning them.
synthetic = []
for case in range(6):
    windows = int(rng.integers(200, 1200))
    # Runs of speech and silence with values near the thresholds.
    values, level = [], rng.random() < 0.5
    while len(values) < windows:
        run = int(rng.integers(1, 120))
        base = 0.8 if level else 0.1
        values += list(np.clip(base + rng.normal(0, 0.25, run), 0, 1))
        level = not level
    values = np.array(values[:windows], np.float32)
    count = windows * 512 - int(rng.integers(1, 512))
    options = [{}, {"max_speech_duration_s": 3.0}, {"min_silence_duration_ms": 200, "speech_pad_ms": 100},
               {"max_speech_duration_s": 2.0, "min_silence_duration_ms": 150, "min_speech_duration_ms": 200},
               {"neg_threshold": 0.2, "min_silence_duration_ms": 400}, {"threshold": 0.4, "speech_pad_ms": 0}][case]
    original = vad.get_vad_model
    vad.get_vad_model = lambda: (lambda _audio: values)
    try:
        found = vad.get_speech_timestamps(np.zeros(count, np.float32), vad.VadOptions(**options))
    finally:
        vad.get_vad_model = original
    synthetic.append({
        "probabilities": [float(v) for v in values],
        "sample_count": count,
        "options": options,
        "regions": [[r["start"], r["end"]] for r in found],
    })

# SpeechTimestampsMap: chunks in input samples, times in the joined audio, the original times.
maps = []
for chunks in ([[8000, 40000], [72000, 90000], [150000, 151000]], [[0, 16000]], [[3200, 9600], [9600, 20000]]):
    mapping = vad.SpeechTimestampsMap([{"start": s, "end": e} for s, e in chunks], rate)
    total = sum(e - s for s, e in chunks) / rate
    times = sorted(set([round(t, 2) for t in np.linspace(0, total + 0.3, 23)] + [(e - s) / rate for s, e in chunks]))
    maps.append({
        "chunks": chunks,
        "times": times,
        "starts": [mapping.get_original_time(t) for t in times],
        "ends": [mapping.get_original_time(t, is_end=True) for t in times],
    })

with open(os.path.join(here, "vad-golden.json"), "w") as out:
    json.dump({
        "source": "faster-whisper 1.2.1 (silero_vad_v6.onnx) on onnxruntime; make_fixture.py",
        "sample_count": int(samples.shape[0]),
        "probabilities": [float(p) for p in probabilities],
        "input_regions": input_regions,
        "synthetic": synthetic,
        "maps": maps,
    }, out)
print(len(probabilities), "windows;", [r["regions"] for r in input_regions])
