#!/usr/bin/env python3
"""Generate the Whisper golden fixtures for Sluice's tests from faster-whisper 1.2.1 / CTranslate2 4.8.5.

Rerun (from the repo root; the model is tiny.en, CTranslate2 format, fp16 weights run in float32):
  venv=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)
  "$venv/bin/python" Tests/SluiceWhisperTests/Fixtures/make_golden.py [MODEL_DIR]
MODEL_DIR defaults to ~/.cache/sluice/models/tiny.en. Writes, next to this script:

golden-1089-134686-0001.json: faster-whisper's transcription of Samples/1089-134686-0001.flac on CPU,
  compute_type float32, language "en", otherwise faster-whisper's defaults (see "options"):
  "greedy" (beam_size 1, best_of 1, word_timestamps) and "beam5" (beam_size 5, best_of 5, no words).
  Each has faster-whisper's Segment fields (id counts from 1; tokens are the window's generated ids
  for that segment, its start and end timestamp tokens included; words only with word_timestamps) and, in
  "generate_calls", every ctranslate2 Whisper.generate call faster-whisper made: the prompt, the
  keyword arguments, and the raw result (sequences_ids: the generated ids, timestamp tokens included,
  prompt and <|endoftext|> excluded; scores; no_speech_prob).
encoder-1089-134686-0001.json: the first 30 s window's log-mel as faster-whisper builds it (whole-file
  FeatureExtractor, content frames = samples // 160, zero-padded to 3000 frames), summary values of
  CTranslate2's encoder output for it, and the first decoder step's logits (see first_decoder_step).
"""
import hashlib
import json
import os
import sys
from dataclasses import asdict

import ctranslate2
import faster_whisper
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio, pad_or_trim

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SAMPLE = "Samples/1089-134686-0001.flac"
NAME = "1089-134686-0001"
SOT, NO_TIMESTAMPS = 50257, 50362  # tiny.en: <|startoftranscript|>, <|notimestamps|>


class RecordingModel:
    """Stands in for WhisperModel.model (ctranslate2.models.Whisper) and records generate calls."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def generate(self, features, prompts, **kwargs):
        results = self.inner.generate(features, prompts, **kwargs)
        r = results[0]
        self.calls.append(dict(prompt=list(prompts[0]), kwargs={k: list(v) if isinstance(v, tuple) else v
                                                                 for k, v in kwargs.items()},
                               sequences_ids=[list(s) for s in r.sequences_ids],
                               scores=list(r.scores), no_speech_prob=r.no_speech_prob))
        return results


def transcribe(model, **options):
    model.model.calls = []
    segments, info = model.transcribe(os.path.join(REPO, SAMPLE), language="en", **options)
    out = []
    for s in segments:
        seg = dict(id=s.id, seek=s.seek, start=s.start, end=s.end, text=s.text, tokens=list(s.tokens),
                   temperature=s.temperature, avg_logprob=s.avg_logprob,
                   compression_ratio=s.compression_ratio, no_speech_prob=s.no_speech_prob)
        if s.words is not None:
            seg["words"] = [dict(word=w.word, start=w.start, end=w.end, probability=float(w.probability))
                            for w in s.words]
        out.append(seg)
    transcription_options = asdict(info.transcription_options)
    transcription_options["suppress_tokens"] = list(transcription_options["suppress_tokens"])
    return dict(transcribe_arguments=dict(language="en", **options),
                options=transcription_options, duration=info.duration,
                text="".join(s["text"] for s in out), segments=out, generate_calls=model.model.calls)


def stats(a):
    a = a.astype(np.float64)
    return dict(sum=a.sum(), mean=a.mean(), std=a.std(), min=a.min(), max=a.max())


def top5(logits):
    """Top-5 ids of a logit row, with the logits and log-softmax over the whole row (float64)."""
    x = logits.astype(np.float64)
    finite = x > -1e30  # CTranslate2 writes float32's lowest value for masked tokens
    logsumexp = x[finite].max() + np.log(np.exp(x[finite] - x[finite].max()).sum())
    ids = np.argsort(-x, kind="stable")[:5]
    return dict(ids=ids.tolist(), logits=x[ids].tolist(), log_probs=(x[ids] - logsumexp).tolist(),
                logsumexp=logsumexp, masked_count=int((~finite).sum()))


def encoder_fixture(model):
    audio = decode_audio(os.path.join(REPO, SAMPLE))
    features = model.feature_extractor(audio)  # (80, samples // 160 + 1), normalized over the file
    content_frames = features.shape[-1] - 1  # generate_segments drops the last frame
    window = pad_or_trim(features[:, :min(3000, content_frames)])  # zeros (0.0) after the content
    ct2 = model.model.inner
    encoded = ct2.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(window[None])))
    enc = np.array(encoded)[0]  # (1500, 384)

    def first_step(prompt, **kwargs):
        r = ct2.generate(encoded, [prompt], beam_size=1, max_length=len(prompt) + 1,
                         return_scores=True, return_logits_vocab=True, return_no_speech_prob=True, **kwargs)[0]
        return dict(prompt=prompt, generate_kwargs=kwargs, token=r.sequences_ids[0][0],
                    no_speech_prob=r.no_speech_prob, top5=top5(np.array(r.logits[0][0]).reshape(-1)))

    mel = features[:, :content_frames]
    return dict(
        audio=dict(path=SAMPLE, samples=int(audio.shape[0]), sample_rate=16000,
                   sum=float(audio.astype(np.float64).sum())),
        log_mel=dict(
            note="faster_whisper FeatureExtractor(audio) over the whole file (160 zero samples appended, "
                 "reflect-padded centred STFT, last STFT frame dropped, log10 clamp 1e-10, max-8 floor, "
                 "(x+4)/4); the window is the first content_frames frames, zero-padded to 3000",
            features_shape=list(features.shape), content_frames=content_frames,
            window_shape=list(window.shape), content=stats(mel),
            frame0_first8=mel[:8, 0].tolist(), frame100_first8=mel[:8, 100].tolist(),
            last_frame_first8=mel[:8, content_frames - 1].tolist(), mel79_first8=mel[79, :8].tolist()),
        encoder=dict(
            shape=list(enc.shape), whole=stats(enc), content_rows=(content_frames + 1) // 2,
            rows_first8={str(i): enc[i, :8].tolist() for i in (0, 100, 749, 1499)}),
        first_decoder_step=dict(
            note="logits of the first generated position. Prompt [sot]: CTranslate2 applies Whisper's "
                 "timestamp rules, so every text token is masked (masked_count) and the top-5 are "
                 "timestamps; their logits are the raw values, log_probs are over the unmasked tokens "
                 "(what scores use); no_speech_prob is softmax(raw logits)[<|nocaptions|>] at the sot "
                 "position. Prompt [sot, notimestamps] with no suppression: raw logits, log_probs over "
                 "the whole vocabulary.",
            sot=first_step([SOT]),
            sot_notimestamps_raw=first_step([SOT, NO_TIMESTAMPS], suppress_blank=False, suppress_tokens=[])))


def main():
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/sluice/models/tiny.en")
    ctranslate2.set_random_seed(0)  # only temperature fallbacks sample; none happen on this clip
    model = WhisperModel(model_dir, device="cpu", compute_type="float32", cpu_threads=2, num_workers=1)
    model.model = RecordingModel(model.model)
    with open(os.path.join(model_dir, "model.bin"), "rb") as f:
        model_sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    source = dict(generator="Tests/SluiceWhisperTests/Fixtures/make_golden.py",
                  faster_whisper=faster_whisper.__version__, ctranslate2=ctranslate2.__version__,
                  model="tiny.en", model_bin_sha256=model_sha256,
                  whisper_model=dict(device="cpu", compute_type="float32", cpu_threads=2, num_workers=1))

    golden = dict(source=source, audio=SAMPLE,
                  greedy=transcribe(model, beam_size=1, best_of=1, word_timestamps=True),
                  beam5=transcribe(model, beam_size=5, best_of=5, word_timestamps=False))
    encoder = dict(source=source, **encoder_fixture(model))
    for name, data in ((f"golden-{NAME}.json", golden), (f"encoder-{NAME}.json", encoder)):
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(data, f, indent=1, ensure_ascii=False, default=float)
            f.write("\n")
        print(f"wrote {os.path.join(HERE, name)}", file=sys.stderr)


if __name__ == "__main__":
    main()
