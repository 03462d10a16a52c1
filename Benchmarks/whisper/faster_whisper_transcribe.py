#!/usr/bin/env python3
"""Transcribe files with faster-whisper (the parity target) into OpenAI verbose_json files.

Usage (in the bench venv, see setup-venv.sh):
  faster_whisper_transcribe.py --model DIR --output-dir OUT [--beam-size N] [--best-of N]
      [--threads N] [--word-timestamps] [--vad-filter] [--file-list LIST] [FILE ...]

All files are transcribed in one process after one model load, so timing this whole process
measures load + transcription, as for `sluice transcribe`. Input a/b/name.flac writes
OUT/name.json: {"task","language","duration","text","segments":[{"id","seek","start","end",
"text","tokens","temperature","avg_logprob","compression_ratio","no_speech_prob","words"?}]}.
Segment ids count from 0 (as OpenAI's verbose_json; faster-whisper's own Segment.id counts from 1);
"tokens" is faster-whisper's Segment.tokens (text tokens with the segment's timestamp tokens);
"text" is the concatenation of the segment texts.

Options pinned here: WhisperModel(dir, device="cpu", compute_type="float32", cpu_threads=N,
num_workers=1); transcribe(language="en", task="transcribe", beam_size=N, best_of=(1 when N == 1,
else 5), condition_on_previous_text=True, vad_filter=flag (default False: Silero VAD with its defaults),
word_timestamps=flag).
Everything else is faster-whisper 1.2.1's default (WhisperModel.transcribe, transcribe.py:747):
  temperature=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0] (fallback; best_of only matters for T > 0),
  compression_ratio_threshold=2.4, log_prob_threshold=-1.0, no_speech_threshold=0.6,
  prompt_reset_on_temperature=0.5, patience=1, length_penalty=1, repetition_penalty=1,
  no_repeat_ngram_size=0, initial_prompt=None, prefix=None, hotwords=None,
  suppress_blank=True, suppress_tokens=[-1], without_timestamps=False,
  max_initial_timestamp=1.0, max_new_tokens=None (max_length 448 incl. prompt),
  chunk_length=None (30 s), clip_timestamps="0", hallucination_silence_threshold=None,
  prepend_punctuations="\"'“¿([{-", append_punctuations="\"'.。,，!！?？:：”)]}、".
"""
import argparse
import json
import os
import sys

import ctranslate2
from faster_whisper import WhisperModel


def verbose_json(segments, info):
    out_segments = []
    for s in segments:
        seg = dict(id=s.id - 1, seek=s.seek, start=s.start, end=s.end, text=s.text,
                   tokens=list(s.tokens), temperature=s.temperature, avg_logprob=s.avg_logprob,
                   compression_ratio=s.compression_ratio, no_speech_prob=s.no_speech_prob)
        if s.words is not None:
            seg["words"] = [dict(word=w.word, start=w.start, end=w.end,
                                 probability=float(w.probability)) for w in s.words]
        out_segments.append(seg)
    return dict(task="transcribe", language=info.language, duration=info.duration,
                text="".join(s["text"] for s in out_segments), segments=out_segments)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="*")
    p.add_argument("--file-list", help="text file with one input path per line")
    p.add_argument("--model", required=True, help="CTranslate2 Whisper model directory")
    p.add_argument("--output-dir", required=True)
    p.add_argument("--beam-size", type=int, default=5)
    p.add_argument("--best-of", type=int, help="samples per fallback temperature "
                   "(default 1 for greedy, else 5)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--word-timestamps", action="store_true")
    p.add_argument("--vad-filter", action="store_true", help="faster-whisper's vad_filter=True (Silero VAD)")
    args = p.parse_args()

    files = list(args.files)
    if args.file_list:
        with open(args.file_list) as f:
            files += [line.strip() for line in f if line.strip()]
    if not files:
        p.error("no input files")
    best_of = args.best_of or (1 if args.beam_size == 1 else 5)
    os.makedirs(args.output_dir, exist_ok=True)

    # Temperature fallbacks sample; seed CTranslate2's generator so reruns give the same text.
    ctranslate2.set_random_seed(0)
    model = WhisperModel(args.model, device="cpu", compute_type="float32",
                         cpu_threads=args.threads, num_workers=1)
    for path in files:
        segments, info = model.transcribe(
            path, language="en", beam_size=args.beam_size, best_of=best_of,
            condition_on_previous_text=True, vad_filter=args.vad_filter,
            word_timestamps=args.word_timestamps)
        result = verbose_json(segments, info)  # consumes the lazy segment generator
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(args.output_dir, name + ".json"), "w") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    print(f"faster-whisper: {len(files)} files -> {args.output_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
