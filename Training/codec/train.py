"""Trains the Sluice codec on LibriSpeech (held-out speakers excluded) and exports safetensors + JSON config.

    python train.py --data ../shared/data/librispeech/LibriSpeech --out ../Sources/SluiceCodec/Model --minutes 20

Uses a GPU when one is present; on CPU pass --threads to bound the cores it takes.
"""
import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import soundfile
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from model import Codec

CONFIG = {
    "sample_rate": 16000,
    "channels": 16,
    "strides": [2, 4, 5, 8],
    "dilation": 1,
    "latent_dim": 128,
    "groups": 2,
    "levels": 2,
    "codebook_size": 1024,
    "ema_decay": 0.95,
    "dead_code_threshold": 0.05,
}
# Speakers never seen in training; the benchmark evaluates on them.
HELD_OUT_SPEAKERS = ["1089", "3331", "533"]


def load_corpus(root, held_out):
    """All 16 kHz utterances under root, split into (train, eval) by speaker."""
    train, evaluation = [], []
    for path in sorted(Path(root).rglob("*.flac")):
        audio, rate = soundfile.read(path, dtype="float32")
        assert rate == 16000, path
        (evaluation if path.name.split("-")[0] in held_out else train).append(audio)
    return train, evaluation


def random_batch(utterances, batch, samples):
    """[batch, 1, samples] random crops with random gain (-6..0 dB of the crop's peak at 0.95)."""
    out = np.zeros((batch, 1, samples), dtype=np.float32)
    for i in range(batch):
        audio = random.choice(utterances)
        start = random.randint(0, max(0, len(audio) - samples))
        crop = audio[start:start + samples]
        peak = max(np.abs(crop).max(), 1e-4)
        out[i, 0, :len(crop)] = crop / peak * 0.95 * 10 ** (-random.random() * 6 / 20)
    return torch.from_numpy(out)


def mel_filterbank(n_fft, n_mels, rate):
    """HTK-style triangular mel filters [n_mels, n_fft/2+1]."""
    to_mel = lambda f: 2595 * math.log10(1 + f / 700)
    mels = torch.linspace(to_mel(0), to_mel(rate / 2), n_mels + 2)
    hz = 700 * (10 ** (mels / 2595) - 1)
    bins = torch.linspace(0, rate / 2, n_fft // 2 + 1)
    lower, center, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins[None] - lower) / (center - lower)
    down = (upper - bins[None]) / (upper - center)
    return torch.clamp(torch.minimum(up, down), min=0)


class MultiScaleMel:
    """Sum over scales of L1 between log-mel spectrograms (n_fft 2^6..2^11, hop n_fft/4)."""

    def __init__(self, rate, device, scales=(64, 128, 256, 512, 1024, 2048)):
        self.scales = [(n, torch.hann_window(n, device=device), mel_filterbank(n, min(80, n // 4), rate).to(device))
                       for n in scales]

    def log_mel(self, x, n, window, fb):
        spec = torch.stft(x, n, n // 4, window=window, return_complex=True).abs()
        return torch.log(fb @ spec + 1e-5)

    def __call__(self, fake, real):
        fake, real = fake.squeeze(1), real.squeeze(1)
        return sum(F.l1_loss(self.log_mel(fake, *s), self.log_mel(real, *s)) for s in self.scales) / len(self.scales)


@torch.no_grad()
def evaluate(model, utterances, hop, device):
    """Mean mel L1 and per-codebook usage (fraction of codes used, perplexity) on whole utterances."""
    model.eval()
    mel = MultiScaleMel(CONFIG["sample_rate"], device)
    losses, counts = [], torch.zeros(model.quantizer.L * model.quantizer.G, model.quantizer.K)
    for audio in utterances:
        n = len(audio) // hop * hop
        x = torch.from_numpy(audio[:n])[None, None].to(device)
        y, codes, _ = model(x)
        losses.append(float(mel(y, x)))
        for c in range(codes.shape[-1]):
            counts[c] += torch.bincount(codes[0, :, c].cpu(), minlength=model.quantizer.K).float()
    model.train()
    p = counts / counts.sum(1, keepdim=True)
    perplexity = torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum(1))
    return {"mel_l1": float(np.mean(losses)), "codes_used": [round(float((c > 0).float().mean()), 3) for c in counts],
            "perplexity": [round(float(v), 1) for v in perplexity]}


def export(model, cfg, record, out_dir):
    """codec.safetensors (float16 weights, codebooks [L, G, K, D/G]) + codec.json (config and training record)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().half().cpu().contiguous() for k, v in model.state_dict().items()
             if not k.startswith("quantizer.") or k == "quantizer.codebooks"}
    save_file(state, str(out_dir / "codec.safetensors"))
    config = {k: cfg[k] for k in ["sample_rate", "channels", "strides", "dilation", "latent_dim", "groups", "levels",
                                  "codebook_size"]}
    config["hop"] = int(np.prod(cfg["strides"]))
    config["training"] = record
    (out_dir / "codec.json").write_text(json.dumps(config, indent=2) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--minutes", type=float, default=20, help="wall-clock training budget")
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--segment", type=int, default=8000, help="samples per crop (a multiple of the hop)")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--init", help="continue from an exported model folder (skips warm-up and k-means)")
    parser.add_argument("--warmup", type=float, default=0.2, help="fraction of the budget trained without VQ")
    parser.add_argument("--log-every", type=int, default=50)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed), np.random.seed(args.seed), torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    hop = int(np.prod(CONFIG["strides"]))
    train, held_out = load_corpus(args.data, HELD_OUT_SPEAKERS)
    print(f"{len(train)} training utterances ({sum(map(len, train)) / 16000 / 60:.1f} min), "
          f"{len(held_out)} held out; device {device}", flush=True)

    model = Codec(CONFIG).to(device)
    if args.init:
        state = {k: v.float() for k, v in load_file(f"{args.init}/codec.safetensors").items()}
        model.load_state_dict(state, strict=False)
        model.quantizer.ema_sum.copy_(model.quantizer.codebooks)
        model.quantizer.inited.fill_(True)
        args.warmup = 0.0
    print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters", flush=True)
    mel = MultiScaleMel(CONFIG["sample_rate"], device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.8, 0.99))
    # The training record of the model this run continues from, if any.
    args.init_record = json.load(open(f"{args.init}/codec.json"))["training"] if args.init else None
    start, step, quantizing = time.time(), 0, False
    while step < args.steps and time.time() - start < args.minutes * 60:
        if not quantizing and args.init:
            quantizing = True
        if not quantizing and time.time() - start >= args.warmup * args.minutes * 60:
            # The latent has structure now: k-means on a large batch (1024 codes need thousands of vectors).
            with torch.no_grad():
                model.quantizer.kmeans_init(model.encoder(random_batch(train, 64, args.segment).to(device))
                                            .transpose(1, 2).reshape(-1, CONFIG["latent_dim"]))
            quantizing = True
            print(f"step {step}: quantizer on, codebooks initialized by k-means", flush=True)
        x = random_batch(train, args.batch, args.segment).to(device)
        y, _, commit = model(x, quantize=quantizing)
        mel_loss = mel(y, x)
        loss = mel_loss + 0.1 * F.l1_loss(y, x) + 0.25 * commit
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        if step % args.log_every == 0:
            used = (model.quantizer.ema_count > 0.05).float().mean().item()
            line = (f"step {step} {time.time() - start:.0f}s mel {mel_loss.item():.3f} commit {commit.item():.4f} "
                    f"live codes {used:.2f}")
            print(line, flush=True)

    elapsed = time.time() - start
    metrics = evaluate(model, held_out, hop, device)
    print(json.dumps(metrics), flush=True)
    compute = (torch.cuda.get_device_name() if device == "cuda"
               else f"CPU, {args.threads} thread(s) under nice 19")
    record = {"steps": step, "continued_from": args.init_record, "warmup_fraction": args.warmup, "batch": args.batch, "segment_samples": args.segment, "lr": args.lr,
              "wall_minutes": round(elapsed / 60, 1), "compute": compute,
              "data": f"LibriSpeech test-clean/test-other, {len(train)} utterances; speakers "
                      f"{', '.join(HELD_OUT_SPEAKERS)} held out",
              "losses": "multi-scale log-mel L1 (n_fft 64..2048) + 0.1 waveform L1 + 0.25 commitment; no adversary",
              "held_out": metrics}
    export(model, CONFIG, record, Path(args.out))


if __name__ == "__main__":
    main()
