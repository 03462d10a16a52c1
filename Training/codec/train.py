"""Trains the Sluice codec on CPU (or a GPU when present) in stints that resume each other exactly.

    python train.py --design vocos --run-dir ~/.cache/sluice/codec-train/vocos --cpu-hours 3
    python train.py --resume ~/.cache/sluice/codec-train/vocos/latest.pt --cpu-hours 6   # continue
    python train.py --resume checkpoint/latest.pt --cpu-hours 6    # from the repository's compact copy

A resumed stint keeps the run's folder, name, budget and schedule unless given again; threads, log, PID file
and --repo-checkpoint come from its own command line.

Compute is counted in process CPU time (all threads; not wall time, so a run paused with SIGSTOP or starved by
other work is charged only for what it used). Evaluation time is not counted as training. Every ~5 wall
minutes the run writes RUN_DIR/latest.pt (model, optimizers, quantizer EMA state, RNG states, data-order RNG,
step, CPU seconds) atomically; every --eval-cpu-minutes it scores a fixed held-out subset (PESQ-WB, STOI, mel
distance, SI-SNR, codebook usage), appends a row to the training log, and exports the model to RUN_DIR/export.
Its PID goes to --pid-file (default /tmp/codec-train.pid).
"""
import os

# Threads that wait for work sleep instead of spinning: on a machine shared with other work, spinning OpenMP
# threads burned 10x the CPU time per step (measured with 2 threads while both cores were busy).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import random
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from checkpoint import compact, save_checkpoint, widen
from data import HELD_OUT_SPEAKERS, RATE, Augmenter, load_corpus
from losses import (ComplexSTFTLoss, MultiResolutionDiscriminator, MultiScaleMel, discriminator_loss,
                    generator_adversarial_loss)
from model import Codec

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Benchmarks" / "codec"))
from quality import mel_distance, si_snr  # noqa: E402  (the benchmark's own definitions)

HERE = Path(__file__).resolve().parent
BASE_CONFIG = {
    "sample_rate": RATE,
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
DESIGNS = {
    "transposed": {"decoder": "transposed"},
    "vocos": {"decoder": "vocos", "decoder_dim": 256, "decoder_hidden": 768, "decoder_blocks": 8,
              "decoder_kernel": 7, "layer_scale": 0.1},
}
EXPORT_KEYS = ["sample_rate", "channels", "strides", "dilation", "latent_dim", "groups", "levels", "codebook_size",
               "decoder", "decoder_dim", "decoder_hidden", "decoder_blocks", "decoder_kernel"]


class CPUClock:
    """Training CPU seconds of this process: process_time, minus the spans marked as not training."""

    def __init__(self, already=0.0):
        self.base, self.start, self.excluded = already, time.process_time(), 0.0

    def seconds(self):
        return self.base + time.process_time() - self.start - self.excluded

    def exclude(self, seconds):
        self.excluded += seconds


def held_out_subset(held_out, count):
    """A fixed spread of `count` held-out utterances (every k-th of the sorted list), trimmed to 10 s."""
    step = max(1, len(held_out) // count)
    return [u[:10 * RATE] for u in held_out[::step][:count]]


@torch.no_grad()
def evaluate(model, utterances, device):
    """Mean PESQ-WB, STOI, mel distance and SI-SNR over whole utterances; per-codebook usage and perplexity."""
    from pesq import pesq
    from pystoi import stoi
    model.eval()
    hop = int(np.prod(model.cfg["strides"]))
    q = model.quantizer
    counts = torch.zeros(q.L * q.G, q.K)
    rows = []
    for audio in utterances:
        n = len(audio) // hop * hop
        x = torch.from_numpy(audio[:n].copy())[None, None].to(device)
        y, codes, _ = model(x)
        ref, deg = audio[:n].astype(np.float64), y[0, 0].cpu().double().numpy()
        try:
            p = pesq(RATE, ref, deg, "wb")
        except Exception:
            p = float("nan")
        rows.append((p, stoi(ref, deg, RATE, extended=False), mel_distance(ref, deg), si_snr(ref, deg)))
        for c in range(codes.shape[-1]):
            counts[c] += torch.bincount(codes[0, :, c].cpu(), minlength=q.K).float()
    model.train()
    p = counts / counts.sum(1, keepdim=True)
    perplexity = torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum(1))
    m = np.nanmean(np.array(rows), 0)
    return {"pesq_wb": round(float(m[0]), 3), "stoi": round(float(m[1]), 3), "mel": round(float(m[2]), 3),
            "si_snr": round(float(m[3]), 2), "codes_used": [round(float((c > 0).float().mean()), 3) for c in counts],
            "perplexity": [round(float(v), 1) for v in perplexity]}


def export(model, record, out_dir):
    """codec.safetensors (float16 weights, codebooks [L, G, K, D/G]) + codec.json (config and training record)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().half().cpu().contiguous() for k, v in model.state_dict().items()
             if not k.startswith("quantizer.") or k == "quantizer.codebooks"}
    save_file(state, str(out_dir / "codec.safetensors"))
    config = {k: model.cfg[k] for k in EXPORT_KEYS if k in model.cfg}
    config["hop"] = int(np.prod(model.cfg["strides"]))
    if model.cfg.get("decoder") == "vocos":
        # Facts of model.py's VocosDecoder a port needs: LayerNorm epsilon, inverse-STFT size (periodic Hann, hop).
        config["decoder_norm_eps"] = 1e-6
        config["istft_n_fft"] = 2 * config["hop"]
    config["training"] = record
    (out_dir / "codec.json").write_text(json.dumps(config, indent=2) + "\n")


def append_log(path, args, step, cpu_hours, metrics, note=""):
    """One Markdown row per evaluation; the header is written with the first row."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        path.write_text(LOG_HEADER)
    used = metrics["codes_used"]
    with open(path, "a") as f:
        f.write(f"| {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} | {args.design} | {args.run_name} | {step} | "
                f"{cpu_hours:.2f} | {metrics['pesq_wb']:.3f} | {metrics['stoi']:.3f} | {metrics['mel']:.3f} | "
                f"{metrics['si_snr']:.2f} | {min(used) * 100:.0f}-{max(used) * 100:.0f}% "
                f"({min(metrics['perplexity']):.0f}-{max(metrics['perplexity']):.0f}) | {note} |\n")


LOG_HEADER = """# Codec training log

One row per evaluation (`train.py`), on a fixed subset of the held-out speakers (8 utterances of 1089, 3331,
533, each cut to 10 s). CPU-hours: training CPU time of the process, all threads (evaluation excluded).
Mel distance and SI-SNR use `Benchmarks/codec/quality.py`'s definitions. Codes: share of each codebook's
1024 codes used on the subset, min-max over the 4 codebooks (perplexity min-max).

| UTC | design | run | step | CPU-h | PESQ-WB | STOI | mel dist | SI-SNR dB | codes used (perplexity) | note |
|---|---|---|---|---|---|---|---|---|---|---|
"""


def rng_states(data_rng):
    return {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state(),
            "data": data_rng.bit_generator.state}


def set_rng_states(states, data_rng):
    random.setstate(states["python"])
    np.random.set_state(states["numpy"])
    torch.set_rng_state(states["torch"])
    data_rng.bit_generator.state = states["data"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--design", choices=sorted(DESIGNS), default="vocos")
    parser.add_argument("--data", default=str(HERE.parents[2] / "shared" / "data"))
    parser.add_argument("--run-dir", help="checkpoints and exports (default ~/.cache/sluice/codec-train/DESIGN)")
    parser.add_argument("--run-name", help="name in the training log (default: the run folder's name)")
    parser.add_argument("--resume", help="checkpoint to continue from exactly (its arguments are reused)")
    parser.add_argument("--cpu-hours", type=float, default=1.0, help="stop when training CPU time reaches this")
    parser.add_argument("--max-steps", type=int, default=10**9, help="also stop at this step (tests)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--segment", type=int, default=8000, help="samples per crop (a multiple of the hop)")
    parser.add_argument("--lr", type=float, default=6e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vq-start", type=int, default=300, help="steps of autoencoder warm-up before k-means")
    parser.add_argument("--adv-start-cpu-hours", type=float, default=2.0,
                        help="switch the discriminator on after this many training CPU-hours")
    parser.add_argument("--w-mel", type=float, default=1.0)
    parser.add_argument("--w-complex", type=float, default=1.0)
    parser.add_argument("--w-wave", type=float, default=0.1)
    parser.add_argument("--w-commit", type=float, default=0.25)
    parser.add_argument("--w-adv", type=float, default=0.05)
    parser.add_argument("--w-fm", type=float, default=0.1)
    parser.add_argument("--eval-cpu-minutes", type=float, default=30.0)
    parser.add_argument("--eval-utterances", type=int, default=8)
    parser.add_argument("--checkpoint-minutes", type=float, default=5.0, help="wall minutes between checkpoints")
    parser.add_argument("--log", default=str(HERE / "training-log.md"))
    parser.add_argument("--repo-checkpoint", help="also write a compact copy here at each evaluation")
    parser.add_argument("--pid-file", default="/tmp/codec-train.pid")
    parser.add_argument("--log-every", type=int, default=50)
    cli = parser.parse_args()

    checkpoint = None
    if cli.resume:
        checkpoint = widen(torch.load(cli.resume, map_location="cpu", weights_only=False))
        args = argparse.Namespace(**checkpoint["args"])
        # How this process runs and where it writes come from this command line (defaults included); the
        # budget and schedule carry over unless given again.
        for key in ("threads", "checkpoint_minutes", "log", "repo_checkpoint", "pid_file", "log_every", "data"):
            setattr(args, key, getattr(cli, key))
        for key in ("cpu_hours", "eval_cpu_minutes", "adv_start_cpu_hours", "max_steps", "run_dir", "run_name"):
            if f"--{key.replace('_', '-')}" in sys.argv or key not in vars(args):
                setattr(args, key, getattr(cli, key))
        if "--lr" in sys.argv:
            args.lr = cli.lr
    else:
        args = cli
    args.run_dir = args.run_dir or str(Path.home() / ".cache" / "sluice" / "codec-train" / args.design)
    args.run_name = args.run_name or Path(args.run_dir).expanduser().name
    run_dir = Path(args.run_dir).expanduser()
    run_dir.mkdir(parents=True, exist_ok=True)
    Path(args.pid_file).write_text(f"{os.getpid()}\n")

    torch.set_num_threads(args.threads)
    random.seed(args.seed), np.random.seed(args.seed), torch.manual_seed(args.seed)
    data_rng = np.random.default_rng(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    train, held_out, noise = load_corpus(args.data)
    eval_set = held_out_subset(held_out, args.eval_utterances)
    augment = Augmenter(train, noise, args.segment)
    print(f"{len(train)} training utterances ({sum(map(len, train)) / RATE / 60:.1f} min), {len(held_out)} held out "
          f"(evaluating on {len(eval_set)}), {len(noise)} noise clips; device {device}", flush=True)

    cfg = dict(BASE_CONFIG, **DESIGNS[args.design])
    model = Codec(cfg).to(device)
    disc = MultiResolutionDiscriminator().to(device)
    mel, cplx = MultiScaleMel(RATE).to(device), ComplexSTFTLoss().to(device)
    opt_g = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.8, 0.99), weight_decay=0.0)
    opt_d = torch.optim.AdamW(disc.parameters(), lr=args.lr, betas=(0.8, 0.99), weight_decay=0.0)
    step, quantizing, adversarial, history = 0, False, False, []
    warmup_from = None  # the step fresh optimizers started at, when resuming without their state
    clock = CPUClock()
    if checkpoint:
        model.load_state_dict(checkpoint["model"])
        disc.load_state_dict(checkpoint["disc"])
        if "opt_g" in checkpoint:
            opt_g.load_state_dict(checkpoint["opt_g"])
            opt_d.load_state_dict(checkpoint["opt_d"])
        else:
            # Adam's first steps from empty moments move every weight by about lr: ramp lr up instead.
            warmup_from = checkpoint["step"]
            print("compact checkpoint: the optimizers start afresh with a 500-step learning-rate ramp "
                  "(close to, not exactly, a continuation)", flush=True)
        step, quantizing, adversarial = checkpoint["step"], checkpoint["quantizing"], checkpoint["adversarial"]
        history = checkpoint.get("history", [])
        clock = CPUClock(checkpoint["cpu_seconds"])
        set_rng_states(checkpoint["rng"], data_rng)
        for group in opt_g.param_groups + opt_d.param_groups:
            group["lr"] = args.lr
        print(f"resumed {cli.resume}: step {step}, {clock.seconds() / 3600:.3f} CPU-h", flush=True)
    hop = int(np.prod(cfg["strides"]))
    # The Vocos head's last block lacks the next frame's half: the losses skip it.
    valid = args.segment - (hop if cfg["decoder"] == "vocos" else 0)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{args.design}: {n_params / 1e6:.2f}M parameters (decoder "
          f"{sum(p.numel() for p in model.decoder.parameters()) / 1e6:.2f}M)", flush=True)

    def payload():
        return {"args": vars(args), "config": cfg, "model": model.state_dict(), "disc": disc.state_dict(),
                "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(), "step": step, "quantizing": quantizing,
                "adversarial": adversarial, "cpu_seconds": clock.seconds(), "rng": rng_states(data_rng),
                "history": history}

    def record(metrics):
        return {"design": args.design, "steps": step, "cpu_hours": round(clock.seconds() / 3600, 3),
                "batch": args.batch, "segment_samples": args.segment, "lr": args.lr,
                "compute": f"CPU, {args.threads} thread(s) under nice" if device == "cpu" else
                torch.cuda.get_device_name(),
                "data": "speech-train (LibriSpeech train-clean-100 subset, LJSpeech subset) + LibriSpeech test "
                        f"utterances; speakers {', '.join(HELD_OUT_SPEAKERS)} held out; gain, EQ, noise augmentation",
                "losses": "multi-scale log-mel L1 + compressed complex STFT + waveform L1 + commitment"
                          + (", MR-STFT discriminator (hinge) + feature matching" if adversarial else ""),
                "held_out": metrics, "history": history}

    def run_eval(note=""):
        t0 = time.process_time()
        metrics = evaluate(model, eval_set, device)
        hours = clock.seconds() / 3600
        history.append({"step": step, "cpu_hours": round(hours, 3), **metrics})
        append_log(args.log, args, step, hours, metrics, note)
        export(model, record(metrics), run_dir / "export")
        if args.repo_checkpoint:
            Path(args.repo_checkpoint).parent.mkdir(parents=True, exist_ok=True)
            save_checkpoint(args.repo_checkpoint, compact(payload()))
        clock.exclude(time.process_time() - t0)
        print(f"eval step {step} {hours:.3f} CPU-h: {json.dumps(metrics)}", flush=True)

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    signal.signal(signal.SIGINT, lambda *_: stop.update(now=True))
    last_ckpt = time.time()
    next_eval = (int(clock.seconds() / 60 / args.eval_cpu_minutes) + 1) * args.eval_cpu_minutes * 60
    if step == 0:
        run_eval("untrained")
    window = {"mel": 0.0, "cplx": 0.0, "adv": 0.0, "fm": 0.0, "d": 0.0, "n": 0}
    while clock.seconds() < args.cpu_hours * 3600 and step < args.max_steps and not stop["now"]:
        if not quantizing and step >= args.vq_start:
            with torch.no_grad():
                big = torch.from_numpy(augment.batch(64, data_rng)).to(device)
                model.quantizer.kmeans_init(model.encoder(big).transpose(1, 2).reshape(-1, cfg["latent_dim"]))
            quantizing = True
            print(f"step {step}: quantizer on, codebooks initialized by k-means", flush=True)
        if not adversarial and clock.seconds() >= args.adv_start_cpu_hours * 3600:
            adversarial = True
            print(f"step {step}: discriminator on", flush=True)
        if warmup_from is not None:
            ramp = min(1.0, (step - warmup_from + 1) / 500)
            for group in opt_g.param_groups + opt_d.param_groups:
                group["lr"] = args.lr * ramp
        x = torch.from_numpy(augment.batch(args.batch, data_rng)).to(device)
        y, _, commit = model(x, quantize=quantizing)
        y, x = y[..., :valid], x[..., :valid]
        if adversarial:
            d_loss = discriminator_loss(disc, y, x)
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            window["d"] += d_loss.item()
        mel_loss, cplx_loss = mel(y, x), cplx(y, x)
        loss = (args.w_mel * mel_loss + args.w_complex * cplx_loss + args.w_wave * F.l1_loss(y, x)
                + args.w_commit * commit)
        if adversarial:
            adv, fm = generator_adversarial_loss(disc, y, x)
            loss = loss + args.w_adv * adv + args.w_fm * fm
            window["adv"] += adv.item()
            window["fm"] += fm.item()
        opt_g.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt_g.step()
        step += 1
        window["mel"] += mel_loss.item()
        window["cplx"] += cplx_loss.item()
        window["n"] += 1
        if step % args.log_every == 0:
            n = window["n"]
            live = (model.quantizer.ema_count > cfg["dead_code_threshold"]).float().mean().item()
            print(f"step {step} {clock.seconds() / 3600:.3f} CPU-h mel {window['mel'] / n:.3f} "
                  f"complex {window['cplx'] / n:.4f} adv {window['adv'] / n:.3f} fm {window['fm'] / n:.3f} "
                  f"d {window['d'] / n:.3f} live codes {live:.2f}", flush=True)
            window = dict.fromkeys(window, 0.0)
            window["n"] = 0
        if clock.seconds() >= next_eval:
            run_eval()
            next_eval += args.eval_cpu_minutes * 60
        if time.time() - last_ckpt >= args.checkpoint_minutes * 60:
            save_checkpoint(run_dir / "latest.pt", payload())
            last_ckpt = time.time()
    save_checkpoint(run_dir / "latest.pt", payload())
    if not stop["now"] and (not history or history[-1]["step"] != step):
        run_eval("end of stint")
        save_checkpoint(run_dir / "latest.pt", payload())
    print(f"stopped at step {step}, {clock.seconds() / 3600:.3f} CPU-h; checkpoint {run_dir / 'latest.pt'}",
          flush=True)


if __name__ == "__main__":
    main()
