"""Trains one channel-independent forecaster on one ETT file and horizon; exports safetensors + JSON config.

    python train.py --data ETTh1.csv --model s4d --horizon 96 --out ../../Models/series/etth1-96

CPU-friendly defaults (one thread unless --threads); uses CUDA when present. Early stopping on the
validation MSE; the test score is over every test window (no drop_last), on scaled values.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from safetensors.torch import save_file

from ett import Split
from models import MODELS


def flatten(inputs, targets):
    """[W, L, C], [W, H, C] -> channel-independent rows [W*C, L], [W*C, H]."""
    x = torch.from_numpy(inputs.transpose(0, 2, 1).reshape(-1, inputs.shape[1]))
    y = torch.from_numpy(targets.transpose(0, 2, 1).reshape(-1, targets.shape[1]))
    return x, y


@torch.no_grad()
def evaluate(model, inputs, targets, batch=1024):
    """MSE and MAE in float64 over every window, channel and step."""
    model = model.to("cpu", torch.float64)
    x, y = flatten(inputs, targets)
    se = ae = 0.0
    for start in range(0, len(x), batch):
        error = model(x[start : start + batch]) - y[start : start + batch]
        se += error.pow(2).sum().item()
        ae += error.abs().sum().item()
    count = y.numel()
    return {"mse": se / count, "mae": ae / count, "windows": int(inputs.shape[0])}


def train(args):
    torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    split = Split(args.data, args.lookback, args.horizon)
    model = MODELS[args.model](args.lookback, args.horizon).to(device)
    x_train, y_train = (t.float().to(device) for t in flatten(*(w[:: args.stride] for w in split.windows("train"))))
    x_val, y_val = (t.float().to(device) for t in flatten(*split.windows("val")))
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    best, best_state, stale = float("inf"), None, 0
    for epoch in range(args.epochs):
        started = time.time()
        model.train()
        order = torch.randperm(len(x_train), device=device)
        for start in range(0, len(order), args.batch):
            pick = order[start : start + args.batch]
            loss = torch.nn.functional.mse_loss(model(x_train[pick]), y_train[pick])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            val = sum(
                torch.nn.functional.mse_loss(model(x_val[s : s + 1024]), y_val[s : s + 1024], reduction="sum").item()
                for s in range(0, len(x_val), 1024)
            ) / y_val.numel()
        print(f"epoch {epoch + 1}: train {loss.item():.4f} val {val:.4f} ({time.time() - started:.1f} s)", flush=True)
        if val < best:
            best, stale = val, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            stale += 1
            if stale >= args.patience:
                break
        for group in optimiser.param_groups:
            group["lr"] *= args.decay
    model.load_state_dict(best_state)
    return model, split, best


def export(model, split, args, val_mse, scores):
    os.makedirs(args.out, exist_ok=True)
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, os.path.join(args.out, "model.safetensors"))
    config = {
        "kind": args.model,
        "dataset": os.path.basename(args.data).removesuffix(".csv"),
        "lookback": args.lookback,
        "horizon": args.horizon,
        "channels": split.names,
        "scaler": {"mean": split.mean.tolist(), "std": split.std.tolist()},
        "revin_eps": 1e-5,
        "training": {
            "epochs": args.epochs, "lr": args.lr, "decay": args.decay, "batch": args.batch,
            "patience": args.patience, "stride": args.stride, "seed": args.seed, "val_mse": val_mse,
        },
        "test": scores,
    }
    if args.model == "s4d":
        banks, half_state = model.log_a_real.shape
        config.update(banks=banks, half_state=half_state)
    with open(os.path.join(args.out, "config.json"), "w") as handle:
        json.dump(config, handle, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="an ETT CSV (ETTh1.csv, ETTh2.csv, ETTm1.csv, ETTm2.csv)")
    parser.add_argument("--model", choices=sorted(MODELS), default="s4d")
    parser.add_argument("--lookback", type=int, default=336)
    parser.add_argument("--horizon", type=int, default=96)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--decay", type=float, default=0.8, help="learning-rate factor per epoch")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--stride", type=int, default=1, help="train on every n-th training window (a CPU budget knob)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", help="export directory (model.safetensors, config.json)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, split, val_mse = train(args)
    scores = evaluate(model, *split.windows("test"))
    print(json.dumps({"model": args.model, "data": args.data, "lookback": args.lookback,
                      "horizon": args.horizon, "val_mse": val_mse, **scores}))
    if args.out:
        export(model, split, args, val_mse, scores)


if __name__ == "__main__":
    main()
