#!/usr/bin/env bash
# Load on `sluice serve` (tiny.en, Pipelines/transcribe-stream.yaml + Pipelines/transcribe.yaml, THREADS BLAS
# threads per session):
#   1. real-time streams: 1, 2, 3, … concurrent WebSocket streams of LibriSpeech speech (make-long.py, joined
#      utterances), each sent at real time; word latency = when the client received the word's final event −
#      the word's end in an offline word-timestamped transcript; stops after the first count whose median is
#      over 2 s (or at MAX_STREAMS). The answer is the largest count at ≤ 2 s.
#   2. HTTP latency: p50/p95 of POST /v1/audio/transcriptions on a 10 s file (the first 10 s of that speech;
#      sequential requests).
#   3. memory: the server's RSS every 10% of REQUESTS sequential transcription requests (is it flat?).
# The machine is shared: figures taken while other work runs are not reliable (the script prints the load).
#
# Usage: Benchmarks/serve-load.sh   (needs .build/release/sluice, tiny.en, ../shared/data)
#   Env: STREAM_SECONDS (default 60), MAX_STREAMS (default 4), HTTP_COUNT (default 30; 0 skips), REQUESTS (default
#   1000; 0 skips), THREADS (default 1),
#   RSS_FILE (default: the first 2 s of the 10 s file), SLUICE_BENCH_WORK (default ~/.cache/sluice/serve-work)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/serve-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
py=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)/bin/python
rm -rf "$work" && mkdir -p "$work"
"$py" Benchmarks/whisper/make-long.py "$work/stream.wav" "${STREAM_SECONDS:-60}" > /dev/null
first_seconds() {  # SECONDS OUT: the first SECONDS of the stream's speech
    "$py" -c "import soundfile as sf, sys; a, r = sf.read(sys.argv[1], dtype='int16'); sf.write(sys.argv[3], a[:int(float(sys.argv[2]) * r)], r)" \
        "$work/stream.wav" "$1" "$2"
}
first_seconds 10 "$work/ten.wav"
first_seconds 2 "$work/short.wav"
"$sluice" transcribe "$work/stream.wav" --word-timestamps --format verbose_json > "$work/offline.json"

"$sluice" serve --pipeline Pipelines/transcribe-stream.yaml Pipelines/transcribe.yaml --port 0 --max-sessions 16 \
    --threads "${THREADS:-1}" \
    2> "$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -q "serving on" "$work/server.log" && break; sleep 0.1; done
port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\) .*/\1/p' "$work/server.log")
[[ -n $port ]] || { cat "$work/server.log" >&2; exit 1; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

echo "real-time streams of $(printf %.0f "$("$py" -c "import soundfile, sys; print(soundfile.info(sys.argv[1]).duration)" "$work/stream.wav")") s speech:"
printf "%8s %9s %7s %8s %s\n" streams median_s p90_s max_lag_s "per-stream medians"
sustained=0
for count in $(seq "${MAX_STREAMS:-4}"); do
    json=$("$py" Benchmarks/serve/serve_load.py streams "$port" "$work/stream.wav" "$work/offline.json" "$count")
    read -r median p90 lag medians <<< "$("$py" -c "
import json, sys; s = json.loads(sys.argv[1])
print(s['median_latency_s'], s['p90_latency_s'], s['max_lag_s'], ','.join(map(str, s['stream_medians_s'])))" "$json")"
    printf "%8d %9s %7s %8s %s\n" "$count" "$median" "$p90" "$lag" "$medians"
    if "$py" -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 2 else 1)" "$median"; then sustained=$count; else break; fi
done
echo "sustained: $sustained concurrent real-time streams at <= 2 s median word latency"

if [[ ${HTTP_COUNT:-30} != 0 ]]; then
    echo "HTTP latency, ${HTTP_COUNT:-30} sequential requests on a 10 s file: $("$py" Benchmarks/serve/serve_load.py http "$port" "$work/ten.wav" "${HTTP_COUNT:-30}")"
fi
if [[ ${REQUESTS:-1000} != 0 ]]; then
    echo "RSS over ${REQUESTS:-1000} requests of ${RSS_FILE:-$work/short.wav}: $("$py" Benchmarks/serve/serve_load.py http "$port" "${RSS_FILE:-$work/short.wav}" "${REQUESTS:-1000}" "$server")"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $server
wait $server
