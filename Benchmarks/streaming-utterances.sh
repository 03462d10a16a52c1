#!/usr/bin/env bash
# The start of a stream: the benchmark's 104 LibriSpeech utterances streamed one by one (each its own
# stream, fixed 0.5 s steps, so the same on any machine), final-lane WER against offline decoding of each
# utterance (beam 5) and how often the first word is right. Short live sessions (a voice command, a
# WebSocket per utterance) look like this: every word is heard with little context before it.
#
# Usage: Benchmarks/streaming-utterances.sh [--set asr.OPTION=VALUE …]   (needs .build/release/sluice,
#   tiny.en, ../shared/data; about 12 minutes on 2 cores). Env: SLUICE_BENCH_WORK (default
#   ~/.cache/sluice/utterance-work)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/utterance-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
py=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)/bin/python
mapfile -t paths < <("$py" Benchmarks/whisper/librispeech.py)
rm -rf "$work" && mkdir -p "$work/stream"
"$sluice" transcribe "${paths[@]}" --format json --output-dir "$work/offline"
stream() {  # one BLAS thread per stream, two streams at a time
    local path=$1; shift
    OPENBLAS_NUM_THREADS=1 "$sluice" run Pipelines/transcribe-stream.yaml -i "$path" --set asr.keep_up=false "$@" \
        > "$work/stream/$(basename "$path" .flac).jsonl"
}
for ((i = 0; i < ${#paths[@]}; i += 2)); do
    pids=()
    for path in "${paths[@]:i:2}"; do stream "$path" "$@" & pids+=($!); done
    for pid in "${pids[@]}"; do wait "$pid"; done
done
"$py" Benchmarks/streaming/utterances.py "$work"
