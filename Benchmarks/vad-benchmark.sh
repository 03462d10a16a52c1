#!/usr/bin/env bash
# VAD: `sluice transcribe --vad` next to faster-whisper 1.2.1's `vad_filter=True` (Silero VAD v6, default
# options) on a ~10-minute file that is about half silence, and the time each saves against decoding
# everything. tiny.en, CPU float32, 2 threads, beam 5, one process per run (model load included).
#
# Usage: Benchmarks/vad-benchmark.sh
#   Builds nothing: needs .build/release/sluice and `sluice models fetch tiny.en silero-vad`.
#   Env: SLUICE_BIN, SLUICE_MODEL_DIR, SLUICE_DATA, SLUICE_BENCH_VENV as for whisper-vs-faster-whisper.sh;
#        LONG_SECONDS      length of the file (default 600)
#        SLUICE_BENCH_WORK outputs and logs (default ~/.cache/sluice/bench-work-vad; cleared per run)
# Prints a table: wall time, WER, segments, and for the two --vad runs the largest difference of paired
# segment start and end times (Benchmarks/whisper/compare.py pairs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=Benchmarks/whisper
sluice=${SLUICE_BIN:-$PWD/.build/release/sluice}
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/bench-work-vad}
threads=2 beam=5

[[ -x $sluice ]] || { echo "error: $sluice not found; build it first with: swift build -c release" >&2; exit 1; }
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time with apt-get (needed for wall time)" >&2
    apt-get install -y time >&2
fi
py=$("$bench/setup-venv.sh" | tail -n 1)/bin/python
model=${SLUICE_MODEL_DIR:-$("$sluice" models path tiny.en 2>/dev/null || echo "$HOME/.cache/sluice/models/tiny.en")}
[[ -f $model/model.bin ]] || { echo "error: no model.bin in $model (set SLUICE_MODEL_DIR)" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
"$py" Benchmarks/vad/make-silences.py "$work/long.wav" "${LONG_SECONDS:-600}"
echo "model: $model; work dir: $work; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

source "$bench/measure.sh"

for vad in vad all; do
    fw_flag=() sluice_flag=()
    [[ $vad == vad ]] && fw_flag=(--vad-filter) sluice_flag=(--vad)
    measure "fw-$vad" "$py" "$bench/faster_whisper_transcribe.py" --model "$model" --threads "$threads" \
        --beam-size "$beam" "${fw_flag[@]}" --output-dir "$work/fw-$vad" "$work/long.wav"
    measure "sluice-$vad" "$sluice" transcribe "$work/long.wav" --model "$model" --threads "$threads" \
        --beam-size "$beam" "${sluice_flag[@]}" --timings --format verbose_json --output-dir "$work/sluice-$vad"
done
grep -h "sluice: vad:" "$work/sluice-vad.log" || true

PYTHONPATH=$bench "$py" - "$work" <<'PY'
import json, sys
from compare import evaluate, load_refs, segment_deltas

work = sys.argv[1]
refs = load_refs([f"{work}/long.txt"])
duration = json.load(open(f"{work}/fw-all/long.json"))["duration"]
print(f"\n{duration:.1f} s file, about half silence; tiny.en, CPU float32, 2 threads, beam 5")
print(f"{'system':16} {'input':12} {'wall s':>8} {'WER %':>7} {'segments':>8} {'saved':>7}")
for system, name in (("fw", "faster-whisper"), ("sluice", "sluice")):
    walls = {}
    for vad, label in (("all", "all audio"), ("vad", "vad")):
        r = evaluate(refs, f"{work}/fw-{vad}", f"{work}/sluice-{vad}")
        walls[vad] = float(open(f"{work}/{system}-{vad}.time").read().split()[0])
        segments = len(r["outputs"][name]["long"]["segments"])
        saved = f"{100 * (1 - walls['vad'] / walls['all']):6.1f}%" if vad == "vad" else ""
        print(f"{name:16} {label:12} {walls[vad]:8.2f} {r['wer'][name]:7.2f} {segments:8d} {saved:>7}")
fw = json.load(open(f"{work}/fw-vad/long.json"))["segments"]
sl = json.load(open(f"{work}/sluice-vad/long.json"))["segments"]
paired, how, smax, smean, emax, emean = segment_deltas(fw, sl)
same = sum(a["text"].strip() == b["text"].strip() for a, b in zip(fw, sl)) if len(fw) == len(sl) else "-"
print(f"\nwith VAD, |faster-whisper - sluice| segment times: {len(fw)} vs {len(sl)} segments, {paired} paired by {how}, "
      f"{same} with the same text")
print(f"start max {smax:.3f} s mean {smean:.3f} s; end max {emax:.3f} s mean {emean:.3f} s")
PY
