#!/usr/bin/env bash
# Streaming latency: a ≥ 5-minute stream of real speech (LibriSpeech utterances joined with 0.5 s pauses)
# played at real time through Pipelines/transcribe-stream.yaml for each configuration (stage options), and
# through the LocalAgreement-2-over-faster-whisper anchor (Benchmarks/streaming/anchor_local_agreement.py),
# on tiny.en with 2 threads. Word latency = emitted_at − the word's end in an offline word-timestamped
# transcript of the same audio. Prints median/p90 latency, final-lane WER (against the reference and
# against offline), real-time factor (decoding busy time / audio time) and peak RSS.
#
# Usage: Benchmarks/streaming-latency.sh   (needs .build/release/sluice, tiny.en, ../shared/data)
#   Env: STREAM_SECONDS (default 320, a little over 5 minutes of speech), STREAM_PART (default 0; 1 and 2: the
#   next utterances, make-long.py's PART), CONFIGS (space-separated; each "default" or
#   comma-separated asr options, e.g. "step_ms=1000,beam_size=1"; default: the defaults, 1 s steps, re-reading the buffer
#   each step (prefix=false, greedy: the previous default), a full 30 s window per step), RUNS (default 1: real-time
#   runs of one configuration differ by up to 2 points of WER, as step times follow the machine's load; with more,
#   each configuration also gets a mean row), SKIP_ANCHOR=1, SLUICE_BENCH_WORK (default ~/.cache/sluice/stream-work)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/stream-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
py=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)/bin/python
model=$("$sluice" models path tiny.en)
rm -rf "$work" && mkdir -p "$work"
"$py" Benchmarks/whisper/make-long.py "$work/stream.wav" "${STREAM_SECONDS:-320}" "${STREAM_PART:-0}"
seconds=$("$py" -c "import soundfile, sys; print(soundfile.info(sys.argv[1]).duration)" "$work/stream.wav")
"$sluice" transcribe "$work/stream.wav" --word-timestamps --format verbose_json > "$work/offline.json"

row() {  # NAME EVENTS BUSY_SECONDS TIME_FILE
    local stats
    stats=$("$py" Benchmarks/streaming/latency.py "$2" "$work/offline.json" "$work/stream.txt" "$seconds" ${3:+"$3"})
    echo "$1 $stats $(cat "$4")"
}
rows=()
for config in ${CONFIGS:-default step_ms=1000 prefix=false,beam_size=1 encoder=full}; do
    sets=()
    if [[ $config != default ]]; then
        IFS=, read -ra options <<< "$config"
        for option in "${options[@]}"; do sets+=(--set "asr.$option"); done
    fi
    for run in $(seq 1 "${RUNS:-1}"); do
        name="sluice-${config//,/-}"
        [[ ${RUNS:-1} == 1 ]] || name+="#$run"
        /usr/bin/time -f "%e %M" -o "$work/$name.time" "$sluice" run Pipelines/transcribe-stream.yaml -i "$work/stream.wav" \
            --realtime --stats "${sets[@]}" > "$work/$name.jsonl" 2> "$work/$name.err"
        busy=$(awk '$1 == "asr" { print $7 }' "$work/$name.err")
        rows+=("$(row "$name" "$work/$name.jsonl" "$busy" "$work/$name.time")")
    done
done
if [[ ${SKIP_ANCHOR:-0} != 1 ]]; then
    /usr/bin/time -f "%e %M" -o "$work/anchor.time" "$py" Benchmarks/streaming/anchor_local_agreement.py "$model" \
        "$work/stream.wav" 1.0 > "$work/anchor.jsonl"
    rows+=("$(row "anchor-faster-whisper-LA2-1000" "$work/anchor.jsonl" "" "$work/anchor.time")")
fi

echo "stream: $seconds s of LibriSpeech speech at real time; tiny.en, 2 threads; offline WER from the same audio"
printf "%-36s %7s %8s %7s %7s %9s %9s %6s %8s\n" system finals median_s p90_s "WER %" "vs off %" "off WER" RTF "RSS MB"
printf '%s\n' "${rows[@]}" | "$py" -c "
import json, sys
fmt = lambda v, f: format(v, f) if v is not None else '-'
def show(name, s, rss):
    print(f\"{name:36} {s['final_words']:7.0f} {fmt(s['median_latency_s'], '8.2f')} {fmt(s['p90_latency_s'], '7.2f')} \"
          f\"{s['wer_vs_reference']:7.2f} {s['wer_vs_offline']:9.2f} {s['offline_wer']:9.2f} {fmt(s['rtf'], '6.2f')} {rss:8.1f}\")
runs = {}
for line in sys.stdin:
    name, stats, wall, rss = line.split()
    show(name, json.loads(stats), int(rss) / 1024)
    runs.setdefault(name.split('#')[0], []).append((json.loads(stats), int(rss) / 1024))
for name, group in runs.items():
    if len(group) > 1:
        mean = {key: sum(s[key] for s, _ in group) / len(group) for key in group[0][0] if group[0][0][key] is not None}
        show(name + ' mean', {**group[0][0], **mean}, max(rss for _, rss in group))
"
