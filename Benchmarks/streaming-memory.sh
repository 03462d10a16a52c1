#!/usr/bin/env bash
# Memory of an endless stream: an hour (by default) of real speech — the benchmark's LibriSpeech utterances
# joined with 0.5 s pauses, repeated — piped on stdin (raw s16le, as fast as it decodes) through
# Pipelines/transcribe-stream.yaml, with the process's resident memory sampled every few seconds. Prints the
# peak RSS in each tenth of the stream and in each half; flat memory means the buffer, the policy's memory
# and the decoder caches stay bounded whatever the stream's length.
#
# Usage: Benchmarks/streaming-memory.sh [MINUTES]   (default 60; needs .build/release/sluice, tiny.en, ../shared/data)
#   Env: SLUICE_BIN (default .build/release/sluice), STEP_MS (default 2000: memory does not depend on the step, and larger steps finish the hour sooner),
#        SLUICE_BENCH_WORK (default ~/.cache/sluice/memory-work),
#        PIPELINE and STAGE (default Pipelines/transcribe-stream.yaml and its stage asr; Benchmarks/simul-translate.sh
#        runs Pipelines/translate-stream.yaml, stage translate), ONCE (a 16 kHz mono WAV to repeat instead of LibriSpeech)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
sluice=${SLUICE_BIN:-$PWD/.build/release/sluice}
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/memory-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
py=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)/bin/python
mkdir -p "$work"
pipeline=${PIPELINE:-Pipelines/transcribe-stream.yaml}
stage=${STAGE:-asr}
if [[ -n ${ONCE:-} ]]; then cp "$ONCE" "$work/once.wav"; else [[ -f $work/once.wav ]] || "$py" Benchmarks/whisper/make-long.py "$work/once.wav" 600; fi
"$py" - "$work/once.wav" "$work/stream.s16le" "$minutes" <<'EOF'
import sys
import numpy as np
import soundfile as sf
once, _ = sf.read(sys.argv[1], dtype="int16")
total = int(float(sys.argv[3]) * 60 * 16000)
np.resize(once, total).astype("<i2").tofile(sys.argv[2])
EOF

"$sluice" run "$pipeline" --set input.format=s16le --set input.sample_rate_hz=16000 \
    --set "$stage.step_ms=${STEP_MS:-2000}" < "$work/stream.s16le" > "$work/events.jsonl" 2> "$work/stderr.txt" &
pid=$!
: > "$work/rss.txt"
started=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    audio=$(tail -n 1 "$work/events.jsonl" 2>/dev/null | "$py" -c "import json,sys; print(json.loads(sys.stdin.read() or '{}').get('audio_end', 0))" 2>/dev/null || echo 0)
    [[ -n $rss ]] && echo "$(( $(date +%s) - started )) $audio $rss" >> "$work/rss.txt"
    sleep 5
done
wait "$pid"

"$py" - "$work/rss.txt" "$work/events.jsonl" "$minutes" "$pipeline" <<'EOF'
import json, sys
samples = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 3]
finals = sum(1 for line in open(sys.argv[2]) if json.loads(line)["type"] == "final")
total = float(sys.argv[3]) * 60
print(f"stream: {total / 60:.0f} min of real speech on stdin through {sys.argv[4]}; {finals} final events; wall {samples[-1][0]:.0f} s")
print(f"{'audio min':>11} {'peak RSS MB':>12}")
tenths = []
for k in range(10):
    part = [s[2] for s in samples if total * k / 10 < s[1] <= total * (k + 1) / 10]
    if part:
        tenths.append(max(part) / 1024)
        print(f"{total * k / 600:5.0f}–{total * (k + 1) / 600:<5.0f} {tenths[-1]:12.1f}")
half = len(tenths) // 2
print(f"peak RSS {max(tenths):.1f} MB; first half {max(tenths[:half]):.1f} MB, second half {max(tenths[half:]):.1f} MB")
EOF
