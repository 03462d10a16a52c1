"""Offline reference point of the simultaneous-translation benchmark: faster-whisper translates each clip whole
(beam 5, the language detected as a user would leave it, and again with the language given), and reports its
own language identification (its first 30 s window).

    ~/.cache/sluice/bench-venv/bin/python Benchmarks/simul/faster-whisper-offline.py CLIPS.tsv MODEL_DIR OUT_DIR

CLIPS.tsv: id, audio path, language, reference (tab-separated, no header). Writes OUT_DIR/{detect,given}/ID.txt
(the translation on one line) and OUT_DIR/languages.tsv (id, expected, detected, probability).
"""
import os
import sys

import ctranslate2
from faster_whisper import WhisperModel


def main():
    clips_path, model_dir, out = sys.argv[1:4]
    clips = [line.rstrip("\n").split("\t") for line in open(clips_path, encoding="utf-8") if line.strip()]
    # Temperature fallbacks sample; seed CTranslate2's generator so reruns give the same text.
    ctranslate2.set_random_seed(0)
    model = WhisperModel(model_dir, device="cpu", compute_type="float32", cpu_threads=2, num_workers=1)
    for mode in ("detect", "given"):
        os.makedirs(os.path.join(out, mode), exist_ok=True)
    with open(os.path.join(out, "languages.tsv"), "w", encoding="utf-8") as languages:
        for clip_id, path, language, _ in clips:
            for mode in ("detect", "given"):
                segments, info = model.transcribe(
                    path, task="translate", language=None if mode == "detect" else language, beam_size=5, best_of=5,
                    condition_on_previous_text=True)
                text = " ".join(" ".join(segment.text.split()) for segment in segments)
                with open(os.path.join(out, mode, clip_id + ".txt"), "w", encoding="utf-8") as f:
                    f.write(text + "\n")
                if mode == "detect":
                    languages.write(f"{clip_id}\t{language}\t{info.language}\t{info.language_probability:.4f}\n")
    print(f"faster-whisper: {len(clips)} clips -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
