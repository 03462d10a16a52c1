#!/usr/bin/env python3
"""Compare Sluice's and faster-whisper's verbose_json outputs against reference transcripts.

Usage: compare.py --faster-whisper DIR [--sluice DIR] [--refs FILE ...] [--verbose]

--refs: LibriSpeech *.trans.txt files ("ID TEXT" lines) or plain NAME.txt files holding the whole
reference of output NAME.json (as make-long.py writes); default: the 104 benchmark utterances.
Every reference needs a DIR/ID.json in each given output dir.

Prints, as a plain table: corpus WER of each system (jiwer, after ONE normalizer, whisper_normalizer's
EnglishTextNormalizer, applied to references and hypotheses alike), the difference in points, how
many outputs have exactly the same raw text (stripped) in both systems (--verbose lists the others),
and, for files longer than 30 s (more than one window), the max/mean |difference| of segment
start and end times. Segments are paired by order when both systems have the same number, otherwise
by mutual-nearest start times within 1 s; the table says how many were paired.
"""
import argparse
import json
import os

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer

from librispeech import references, utterances

LONG_S = 30.0
MATCH_TOLERANCE_S = 1.0


def load_refs(files):
    refs = {}
    for path in files:
        if path.endswith(".trans.txt"):
            refs.update(references([path]))
        else:
            with open(path) as f:
                refs[os.path.splitext(os.path.basename(path))[0]] = f.read().strip()
    return refs


def load_outputs(directory, ids):
    outputs = {}
    for uid in ids:
        path = os.path.join(directory, uid + ".json")
        if not os.path.exists(path):
            raise SystemExit(f"missing output {path}")
        with open(path) as f:
            outputs[uid] = json.load(f)
    return outputs


def pair_segments(a, b):
    """Index pairs of segments of a and b: by order if the counts agree, else mutual-nearest start."""
    if len(a) == len(b):
        return list(zip(range(len(a)), range(len(b)))), "order"
    nearest = lambda s, others: min(range(len(others)), key=lambda k: abs(others[k]["start"] - s["start"]))
    pairs = []
    for i, s in enumerate(a):
        j = nearest(s, b) if b else None
        if j is not None and nearest(b[j], a) == i and abs(b[j]["start"] - s["start"]) <= MATCH_TOLERANCE_S:
            pairs.append((i, j))
    return pairs, "nearest start"


def segment_deltas(a, b):
    """(paired, how, start max, start mean, end max, end mean) of two systems' segment lists."""
    pairs, how = pair_segments(a, b)
    ds = [abs(a[i]["start"] - b[j]["start"]) for i, j in pairs] or [float("nan")]
    de = [abs(a[i]["end"] - b[j]["end"]) for i, j in pairs] or [float("nan")]
    return len(pairs), how, max(ds), sum(ds) / len(ds), max(de), sum(de) / len(de)


def evaluate(refs, fw_dir, sluice_dir=None):
    """Scores of faster-whisper (and Sluice, when given) on refs {id: text}."""
    ids = sorted(refs)
    systems = {"faster-whisper": load_outputs(fw_dir, ids)}
    if sluice_dir:
        systems["sluice"] = load_outputs(sluice_dir, ids)
    normalize = EnglishTextNormalizer()
    truth = [normalize(refs[uid]) for uid in ids]
    result = dict(ids=ids, outputs=systems, wer={}, counts={})
    for name, outputs in systems.items():
        m = jiwer.process_words(truth, [normalize(outputs[uid]["text"]) for uid in ids])
        result["wer"][name] = 100 * m.wer
        result["counts"][name] = (m.substitutions, m.deletions, m.insertions,
                                  m.hits + m.substitutions + m.deletions)
    if sluice_dir:
        fw, sl = systems["faster-whisper"], systems["sluice"]
        result["differ"] = [uid for uid in ids if fw[uid]["text"].strip() != sl[uid]["text"].strip()]
        result["segments"] = {uid: (len(fw[uid]["segments"]), len(sl[uid]["segments"]),
                                    *segment_deltas(fw[uid]["segments"], sl[uid]["segments"]))
                              for uid in ids if fw[uid]["duration"] > LONG_S}
    return result


def print_segment_table(segments):
    print(f"{'file':24} {'segs fw':>7} {'segs sl':>7} {'paired':>6} {'by':>13} "
          f"{'start max':>9} {'start mean':>10} {'end max':>8} {'end mean':>9}")
    for uid, (n_fw, n_sl, paired, how, smax, smean, emax, emean) in segments.items():
        print(f"{uid:24} {n_fw:7d} {n_sl:7d} {paired:6d} {how:>13} "
              f"{smax:9.3f} {smean:10.3f} {emax:8.3f} {emean:9.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--faster-whisper", required=True, metavar="DIR")
    p.add_argument("--sluice", metavar="DIR")
    p.add_argument("--refs", nargs="+")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()

    refs = load_refs(args.refs) if args.refs else references(utterances())
    r = evaluate(refs, args.faster_whisper, args.sluice)
    print(f"{len(r['ids'])} files; WER after EnglishTextNormalizer")
    print(f"{'system':16} {'WER %':>7} {'sub':>5} {'del':>5} {'ins':>5} {'words':>6}")
    for name, wer in r["wer"].items():
        print(f"{name:16} {wer:7.2f} " + " ".join(f"{n:5d}" for n in r["counts"][name][:3])
              + f" {r['counts'][name][3]:6d}")
    if not args.sluice:
        return
    print(f"WER difference (sluice - faster-whisper): {r['wer']['sluice'] - r['wer']['faster-whisper']:+.2f} points")
    print(f"identical raw texts: {len(r['ids']) - len(r['differ'])} / {len(r['ids'])}")
    if args.verbose:
        fw, sl = r["outputs"]["faster-whisper"], r["outputs"]["sluice"]
        for uid in r["differ"]:
            print(f"  {uid}\n    faster-whisper: {fw[uid]['text'].strip()}\n    sluice:         {sl[uid]['text'].strip()}")
    if r["segments"]:
        print(f"\nsegment times of files over {LONG_S:.0f} s, |faster-whisper - sluice| in seconds:")
        print_segment_table(r["segments"])


if __name__ == "__main__":
    main()
