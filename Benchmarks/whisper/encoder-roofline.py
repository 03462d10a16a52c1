#!/usr/bin/env python3
"""Sluice's Whisper encoder against the BLAS roofline of this machine.

Usage: encoder-roofline.py SLUICE_BINARY MODEL_DIR AUDIO
Counts the floating-point work of one 30 s encoder window from the model's own shapes (model.bin), runs
`sluice transcribe --timings` on AUDIO to get the measured milliseconds per window, and measures the
machine's float32 matrix-product peak with NumPy's OpenBLAS on 2 threads (shapes of the encoder's own
feed-forward product). Prints one table.
"""
import os
import re
import struct
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
import numpy as np  # noqa: E402  (after the thread setting)


def shapes(path):
    """Variable name -> shape from a CTranslate2 model.bin (version 6)."""
    data = open(path, "rb").read()
    offset = 0

    def take(fmt):
        nonlocal offset
        values = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return values

    def string():
        nonlocal offset
        (length,) = take("<H")
        text = data[offset:offset + length - 1].decode()
        offset += length
        return text

    take("<I"), string(), take("<I")
    (count,) = take("<I")
    result = {}
    for _ in range(count):
        name = string()
        (rank,) = take("<B")
        dims = take(f"<{rank}I") if rank else ()
        take("<B")
        (size,) = take("<I")
        offset += size
        result[name] = dims
    return result


def encoder_flops(variables, frames=3000):
    positions = frames // 2
    width = variables["encoder/conv1/weight"][0]
    flops = 2 * frames * np_prod(variables["encoder/conv1/weight"]) + 2 * positions * np_prod(variables["encoder/conv2/weight"])
    layers = 0
    for name, dims in variables.items():
        if name.startswith("encoder/layer_") and re.search(r"/linear_\d+/weight$", name):
            flops += 2 * positions * dims[0] * dims[1]
        if name.startswith("encoder/layer_") and name.endswith("self_attention/linear_0/weight"):
            layers += 1
    flops += layers * 2 * 2 * positions * positions * width  # scores and weighted values, all heads
    return flops


def np_prod(dims):
    result = 1
    for d in dims:
        result *= d
    return result


def blas_peak():
    a = np.random.rand(1500, 384).astype(np.float32)
    b = np.random.rand(384, 1536).astype(np.float32)
    a @ b
    runs, start = 50, time.perf_counter()
    for _ in range(runs):
        a @ b
    return 2 * 1500 * 384 * 1536 * runs / (time.perf_counter() - start)


def main():
    sluice, model, audio = sys.argv[1:4]
    flops = encoder_flops(shapes(os.path.join(model, "model.bin")))
    report = subprocess.run([sluice, "transcribe", audio, "--model", model, "--beam-size", "1", "--timings", "--threads", "2"],
                            capture_output=True, text=True, check=True).stderr
    match = re.search(r"encoder (\d+) windows × (\d+) ms", report)
    windows, ms = int(match.group(1)), float(match.group(2))
    peak = blas_peak()
    achieved = flops / (ms / 1000)
    print(f"encoder window: {flops / 1e9:.1f} GFLOP; measured {ms:.0f} ms/window over {windows} windows = {achieved / 1e9:.0f} GFLOP/s")
    print(f"float32 matmul peak (NumPy OpenBLAS, 2 threads, 1500×384·384×1536): {peak / 1e9:.0f} GFLOP/s; "
          f"roofline time {flops / peak * 1000:.0f} ms; sluice at {100 * achieved / peak:.0f}% of it")


if __name__ == "__main__":
    main()
