"""Scores decoded audio against references: PESQ-WB, STOI, mel distance, SI-SNR, bitrate; and codebook usage of
.sluc files. Called by Benchmarks/codec-quality.sh; prints a Markdown table and writes JSON.

    python quality.py --work DIR --out results.json
DIR/<set>/ref/NAME.wav are 16 kHz mono references; DIR/<set>/<system>/NAME.wav the decoded audio and
DIR/<set>/<system>/NAME.bytes the size of the coded stream in bytes.
"""
import argparse
import json
import struct
from pathlib import Path

import numpy as np
import soundfile
from pesq import pesq
from pystoi import stoi
from scipy.signal import stft

RATE = 16000


def mel_filterbank(n_fft=1024, n_mels=80, rate=RATE):
    to_mel = lambda f: 2595 * np.log10(1 + f / 700)
    hz = 700 * (10 ** (np.linspace(0, to_mel(rate / 2), n_mels + 2) / 2595) - 1)
    bins = np.linspace(0, rate / 2, n_fft // 2 + 1)
    up = (bins[None] - hz[:-2, None]) / (hz[1:-1, None] - hz[:-2, None])
    down = (hz[2:, None] - bins[None]) / (hz[2:, None] - hz[1:-1, None])
    return np.clip(np.minimum(up, down), 0, None)


FB = mel_filterbank()


def mel_distance(ref, deg):
    """Mean |log10 mel(ref) - log10 mel(deg)| (80 mels, n_fft 1024, hop 256, floor 1e-5)."""
    spec = lambda x: np.log10(np.maximum(FB @ np.abs(stft(x, nperseg=1024, noverlap=768, boundary=None)[2]), 1e-5))
    return float(np.mean(np.abs(spec(ref) - spec(deg))))


def si_snr(ref, deg):
    ref, deg = ref - ref.mean(), deg - deg.mean()
    target = np.dot(deg, ref) / (np.dot(ref, ref) + 1e-12) * ref
    return float(10 * np.log10((np.dot(target, target) + 1e-12) / (np.dot(deg - target, deg - target) + 1e-12)))


def sluc_codes(path):
    """The codes of a .sluc file (Docs/sluc-format.md), [frames, groups*levels]; checksums are the Swift side's job."""
    data = Path(path).read_bytes()
    assert data[:4] == b"SLUC", path
    groups, levels, bits = data[5], data[6], data[7]
    per_frame = groups * levels
    offset, codes = 28, []
    while True:
        (frames,) = struct.unpack_from("<H", data, offset)
        if frames == 0:
            break
        payload = data[offset + 2: offset + 2 + (frames * per_frame * bits + 7) // 8]
        value = int.from_bytes(payload, "little")
        codes += [(value >> (i * bits)) & ((1 << bits) - 1) for i in range(frames * per_frame)]
        offset += 2 + len(payload) + 4
    return np.array(codes).reshape(-1, per_frame)


def usage(paths, size=1024):
    codes = np.concatenate([sluc_codes(p) for p in paths])
    result = []
    for column in codes.T:
        p = np.bincount(column, minlength=size) / len(column)
        nz = p[p > 0]
        result.append({"used": round(float((p > 0).mean()), 3), "perplexity": round(float(np.exp(-(nz * np.log(nz)).sum())), 1)})
    return {"frames": int(len(codes)), "codebooks": result}


def score(work):
    results = {}
    for set_dir in sorted(p for p in Path(work).iterdir() if (p / "ref").is_dir()):
        refs = sorted((set_dir / "ref").glob("*.wav"))
        systems = sorted(p.name for p in set_dir.iterdir() if p.is_dir() and p.name != "ref")
        results[set_dir.name] = {}
        for system in systems:
            rows = []
            for ref_path in refs:
                deg_path = set_dir / system / ref_path.name
                ref, _ = soundfile.read(ref_path, dtype="float64")
                deg, _ = soundfile.read(deg_path, dtype="float64")
                n = min(len(ref), len(deg))
                ref, deg = ref[:n], deg[:n]
                size = int((set_dir / system / (ref_path.stem + ".bytes")).read_text())
                try:
                    pesq_wb = pesq(RATE, ref, deg, "wb")
                except Exception:  # no utterance found (silence, music without voice)
                    pesq_wb = float("nan")
                rows.append({"pesq_wb": pesq_wb, "stoi": stoi(ref, deg, RATE, extended=False),
                             "mel": mel_distance(ref, deg), "si_snr": si_snr(ref, deg),
                             "kbps": size * 8 / (n / RATE) / 1000})
            summary = {k: round(float(np.nanmean([r[k] for r in rows])), 3) for k in rows[0]}
            summary["files"] = len(rows)
            if system == "sluice":
                summary["codebook_usage"] = usage(sorted((set_dir / system).glob("*.sluc")))
            results[set_dir.name][system] = summary
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    results = score(args.work)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    for name, systems in results.items():
        print(f"\n{name}\n\n| system | kbps | PESQ-WB | STOI | mel dist | SI-SNR dB |\n|---|---|---|---|---|---|")
        for system, s in systems.items():
            print(f"| {system} | {s['kbps']:.2f} | {s['pesq_wb']:.2f} | {s['stoi']:.3f} | {s['mel']:.3f} | {s['si_snr']:.1f} |")
        if "sluice" in systems:
            cb = systems["sluice"]["codebook_usage"]
            print(f"\nsluice codebook usage over {cb['frames']} frames: " +
                  ", ".join(f"{c['used'] * 100:.0f}% used (perplexity {c['perplexity']})" for c in cb["codebooks"]))


if __name__ == "__main__":
    main()
