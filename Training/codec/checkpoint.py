"""Training checkpoints: atomic saves, and the compact copy the repository keeps.

    python checkpoint.py FULL.pt COMPACT.pt     # a compact copy of a full checkpoint (e.g. of a running stint)
"""
import os
import sys
from pathlib import Path

import torch


def save_checkpoint(path, payload):
    """torch.save to a temporary file in the same folder, then rename over the old one (atomic on POSIX)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)


def compact(state):
    """A small copy for the repository: no optimizer state (Adam's moments rebuild within a few hundred steps),
    float32 weights as float16 except the quantizer's codebooks and EMA statistics."""
    def shrink(prefix, tensors):
        return {k: v.half() if v.dtype == torch.float32 and not k.startswith(prefix) else v for k, v in tensors.items()}
    small = {k: v for k, v in state.items() if k not in ("opt_g", "opt_d")}
    small["model"] = shrink("quantizer.", state["model"])
    small["disc"] = shrink("-", state["disc"])
    small["compact"] = True
    return small


def widen(obj):
    """Float16 and bfloat16 tensors back to float32 (training runs in float32), through nested dicts."""
    if isinstance(obj, dict):
        return {k: widen(v) for k, v in obj.items()}
    if torch.is_tensor(obj) and obj.dtype in (torch.float16, torch.bfloat16):
        return obj.float()
    return obj


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    full = torch.load(source, map_location="cpu", weights_only=False)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    save_checkpoint(target, compact(full))
    print(f"{target}: step {full['step']}, {full['cpu_seconds'] / 3600:.3f} CPU-h")
