#!/usr/bin/env bash
# Throughput and memory of `sluice batch` over a folder of LibriSpeech utterances through
# Pipelines/transcribe.yaml (tiny.en, beam 5, word timestamps), with --jobs 1 and --jobs 2 in one run.
#
# Usage: Benchmarks/batch-throughput.sh [FILES]   (default 40; needs ../shared/data and tiny.en)
# Input: the first FILES LibriSpeech test utterances (test-clean, then test-other) in path order, linked
# into a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-40}
data=../shared/data/librispeech/LibriSpeech
work=$(mktemp -d /tmp/sluice-batch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release >/dev/null
sluice=.build/release/sluice
$sluice models fetch tiny.en >/dev/null 2>&1

mapfile -t files < <(find "$data" -name '*.flac' | sort | head -n "$count")
for file in "${files[@]}"; do
    relative=${file#"$data"/}
    mkdir -p "$work/in/$(dirname "$relative")"
    ln -s "$(realpath "$file")" "$work/in/$relative"
done

rows=()
for jobs in 1 2; do
    /usr/bin/time -f "%e %M" -o "$work/time.$jobs" \
        $sluice batch "$work/in" --pipeline Pipelines/transcribe.yaml --out "$work/out.$jobs" --jobs "$jobs" 2>"$work/log.$jobs"
    rows+=("$jobs $(cat "$work/time.$jobs") $work/out.$jobs/.sluice-manifest.jsonl")
done

python3 - "${rows[@]}" <<'PY'
import json, sys
print(f"{'jobs':>4} {'files':>6} {'ok':>4} {'audio h':>8} {'wall s':>8} {'xRT':>6} {'peak RSS MB':>12}")
for row in sys.argv[1:]:
    jobs, wall, rss, manifest = row.split()
    entries = [json.loads(line) for line in open(manifest) if line.strip()]
    audio = sum(e["audio_seconds"] for e in entries)
    ok = sum(e["status"] == "ok" for e in entries)
    wall = float(wall)
    print(f"{jobs:>4} {len(entries):6d} {ok:4d} {audio / 3600:8.3f} {wall:8.1f} {audio / wall:6.1f} {int(rss) / 1024:12.1f}")
PY
