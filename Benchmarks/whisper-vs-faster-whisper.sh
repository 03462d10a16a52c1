#!/usr/bin/env bash
# Whisper parity and speed: `sluice transcribe` next to faster-whisper 1.2.1 (the parity target), on the
# same CTranslate2 model directory, both on CPU in float32 with 2 threads, greedy (beam 1) and beam 5.
#
# Usage: Benchmarks/whisper-vs-faster-whisper.sh
#   Builds nothing: needs .build/release/sluice (`swift build -c release`).
#   Env: SLUICE_BIN        the sluice binary (default .build/release/sluice)
#        LONG_SECONDS      length of the long file (default 600; 300 for a quicker run)
#        SLUICE_MODEL_DIR  model directory (default `sluice models path tiny.en`, else
#                          ~/.cache/sluice/models/tiny.en)
#        SLUICE_DATA       data directory holding librispeech/ (default <repo>/../shared/data)
#        SLUICE_BENCH_WORK outputs and logs (default ~/.cache/sluice/bench-work; cleared per run)
#        SLUICE_BENCH_VENV Python venv (default ~/.cache/sluice/bench-venv; made by setup-venv.sh)
#        SKIP_SLUICE=1     run only the faster-whisper half (for developing this script)
# Ends with the encoder against the BLAS roofline (Benchmarks/whisper/encoder-roofline.py).
# Each system runs as one process per set and beam (model load + all files), timed whole with
# GNU time (`apt-get install time` when /usr/bin/time is missing). Sets: the 104 LibriSpeech
# utterances (test-other + test-clean/1089), then a ~LONG_SECONDS concatenation of them
# (Benchmarks/whisper/make-long.py), for which segment start/end deltas are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=Benchmarks/whisper
sluice=${SLUICE_BIN:-$PWD/.build/release/sluice}
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/bench-work}
threads=2
skip_sluice=${SKIP_SLUICE:-0}

if [[ $skip_sluice != 1 && ! -x $sluice ]]; then
    echo "error: $sluice not found; build it first with: swift build -c release" >&2
    echo "       (or SKIP_SLUICE=1 to run the faster-whisper half only)" >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time with apt-get (needed for wall time and peak RSS)" >&2
    apt-get install -y time >&2
fi
py=$("$bench/setup-venv.sh" | tail -n 1)/bin/python

model=${SLUICE_MODEL_DIR:-}
if [[ -z $model && $skip_sluice != 1 ]]; then
    model=$("$sluice" models path tiny.en 2>/dev/null || true)
fi
model=${model:-$HOME/.cache/sluice/models/tiny.en}
[[ -f $model/model.bin ]] || { echo "error: no model.bin in $model (set SLUICE_MODEL_DIR)" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
"$py" "$bench/librispeech.py" > "$work/utterances.list"
"$py" "$bench/make-long.py" "$work/long.wav" "${LONG_SECONDS:-600}"
echo "$work/long.wav" > "$work/long.list"
echo "model: $model; work dir: $work; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

source "$bench/measure.sh"

for set in utterances long; do
    mapfile -t files < "$work/$set.list"
    for beam in 1 5; do
        measure "$set-fw-b$beam" "$py" "$bench/faster_whisper_transcribe.py" --model "$model" \
            --threads "$threads" --beam-size "$beam" --output-dir "$work/$set-fw-b$beam" "${files[@]}"
        [[ $skip_sluice == 1 ]] && continue
        measure "$set-sluice-b$beam" "$sluice" transcribe "${files[@]}" --model "$model" \
            --threads "$threads" --beam-size "$beam" --format verbose_json --output-dir "$work/$set-sluice-b$beam"
    done
done

# One table per set from the timing files and compare.py's scores.
PYTHONPATH=$bench "$py" - "$work" <<'PY'
import os, sys
from compare import evaluate, load_refs, print_segment_table
from librispeech import references, utterances

work = sys.argv[1]
sets = {"utterances": references(utterances()), "long": load_refs([f"{work}/long.txt"])}
for set_name, refs in sets.items():
    print(f"\n{set_name}: {len(refs)} file(s), CPU float32, 2 threads")
    print(f"{'beam':>4} {'system':16} {'wall s':>8} {'peak RSS MB':>12} {'WER %':>7} {'time ratio':>11} {'identical':>10}")
    for beam in (1, 5):
        run = lambda system: f"{work}/{set_name}-{system}-b{beam}"
        have_sluice = os.path.exists(run("sluice") + ".time")
        r = evaluate(refs, run("fw"), run("sluice") if have_sluice else None)
        times = {s: [float(x) for x in open(run(s) + ".time").read().split()[-2:]]
                 for s in (("fw", "sluice") if have_sluice else ("fw",))}
        for system, name in (("fw", "faster-whisper"), ("sluice", "sluice")):
            if system not in times:
                continue
            wall, rss_kb = times[system]
            ratio = f"{wall / times['fw'][0]:.2f}" if system == "sluice" else ""
            same = f"{len(r['ids']) - len(r['differ'])}/{len(r['ids'])}" if system == "sluice" else ""
            print(f"{beam:4d} {name:16} {wall:8.2f} {rss_kb / 1024:12.1f} {r['wer'][name]:7.2f} {ratio:>11} {same:>10}")
        if have_sluice and r["segments"]:
            print(f"segment times, beam {beam}, |faster-whisper - sluice| in seconds:")
            print_segment_table(r["segments"])
PY

# Encoder milliseconds per 30 s window against the machine's float32 matrix-product peak.
if [[ $skip_sluice != 1 ]]; then
    echo
    "$py" "$bench/encoder-roofline.py" "$sluice" "$model" "$work/long.wav"
fi
