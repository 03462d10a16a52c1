#!/usr/bin/env bash
# Streaming in noise: a stream of LibriSpeech utterances, each mixed with a real noise or music recording
# (Benchmarks/streaming/mix-noise.py: seeded, noise chosen per utterance, running on through the pauses) at
# each SNR, streamed through Pipelines/transcribe-stream.yaml and decoded offline (beam 5, the same audio).
# Prints, per SNR and stream part: WER against the reference with substitutions, deletions and insertions for the stream's
# final lane and for offline decoding, and the stream's median/p90 final-word latency (against the offline
# word times), and where the stream's deleted words went (Benchmarks/streaming/where-words-go.py over the
# step trace; each word in WORK/snr-SNR-part-P.deleted.txt). Then each noise clip alone through the stream: final
# words (should be none).
#
# Usage: Benchmarks/streaming-noise.sh [--set asr.OPTION=VALUE …]   (needs .build/release/sluice, tiny.en,
#   ../shared/data). Env: SNRS (default "clean 20 10 5"), STREAM_SECONDS (320), STREAM_PARTS (0; "0 1 2": all
#   104 utterances, each part a stream of its own, pooled in an "all" row), SEED (1),
#   REALTIME (1: at real time with --realtime, latency as live; 0: fixed 0.5 s steps, the same on any machine,
#   faster than real time), CLIPS (1: also stream each noise clip alone), SLUICE_BENCH_WORK
#   (default ~/.cache/sluice/noise-work)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/noise-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
py=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)/bin/python
"$py" -c "import soxr" 2>/dev/null || "$py" -m pip install --quiet --disable-pip-version-check soxr==1.1.0 >&2
mkdir -p "$work"
realtime=${REALTIME:-1}
if [[ $realtime == 1 ]]; then pace=(--realtime); else pace=(--set asr.keep_up=false); fi

parts=${STREAM_PARTS:-0}
rows=()
for snr in ${SNRS:-clean 20 10 5}; do
    for part in $parts; do
        base=$work/snr-$snr-part-$part
        "$py" Benchmarks/streaming/mix-noise.py "$base.wav" "$snr" "${STREAM_SECONDS:-320}" "$part" "${SEED:-1}"
        seconds=$("$py" -c "import soundfile, sys; print(soundfile.info(sys.argv[1]).duration)" "$base.wav")
        "$sluice" transcribe "$base.wav" --word-timestamps --format verbose_json > "$base.offline.json"
        "$sluice" run Pipelines/transcribe-stream.yaml -i "$base.wav" "${pace[@]}" --set asr.trace="$base.trace.jsonl" "$@" \
            > "$base.stream.jsonl"
        rows+=("$snr $part $("$py" Benchmarks/streaming/latency.py "$base.stream.jsonl" "$base.offline.json" "$base.txt" "$seconds")")
        "$py" Benchmarks/streaming/where-words-go.py "$base.stream.jsonl" "$base.trace.jsonl" "$base.offline.json" "$base.txt" \
            > "$base.deleted.txt"
    done
done

echo "noisy streams: ${STREAM_SECONDS:-320} s parts $parts of LibriSpeech (seed ${SEED:-1}); tiny.en; stream $([[ $realtime == 1 ]] && echo "at real time" || echo "in fixed 0.5 s steps")"
printf "%-6s %-5s %-8s %7s %5s %5s %5s %9s %6s\n" SNR part system "WER %" S D I median_s p90_s
printf '%s\n' "${rows[@]}" | "$py" -c "
import json, statistics, sys
realtime = $realtime == 1  # latency is wall clock: real time only
def row(snr, part, system, sdi, words, latencies):
    wer = 100 * sum(sdi) / words
    lat = f'{statistics.median(latencies):9.2f} {latencies[int(0.9 * (len(latencies) - 1))]:6.2f}' if latencies else f\"{'-':>9} {'-':>6}\"
    print(f'{snr:6} {part:5} {system:8} {wer:7.2f} {sdi[0]:5d} {sdi[1]:5d} {sdi[2]:5d} {lat}')
by_snr = {}
for line in sys.stdin:
    snr, part, stats = line.split(maxsplit=2)
    by_snr.setdefault(snr, []).append((part, json.loads(stats)))
for snr, runs in by_snr.items():
    if len(runs) > 1:
        runs.append(('all', {
            'stream_sdi': [sum(s['stream_sdi'][k] for _, s in runs) for k in range(3)],
            'offline_sdi': [sum(s['offline_sdi'][k] for _, s in runs) for k in range(3)],
            'reference_words': sum(s['reference_words'] for _, s in runs),
            'latencies': sorted(x for _, s in runs for x in s['latencies'])}))
    for part, s in runs:
        row(snr, part, 'stream', s['stream_sdi'], s['reference_words'], sorted(s['latencies']) if realtime else [])
        row(snr, part, 'offline', s['offline_sdi'], s['reference_words'], [])
"
for snr in ${SNRS:-clean 20 10 5}; do
    for part in $parts; do echo "SNR $snr part $part: $(tail -n 1 "$work/snr-$snr-part-$part.deleted.txt")"; done
done

if [[ ${CLIPS:-1} == 1 ]]; then
    echo
    printf "%-16s %s\n" "clip alone" "final words"
    for clip in "$("$py" Benchmarks/whisper/librispeech.py --data-dir)"/noise/freesound/*.flac; do
        words=$("$sluice" run Pipelines/transcribe-stream.yaml -i "$clip" --set asr.keep_up=false "$@" \
            | "$py" -c "import json, sys; print(' '.join(w['word'].strip() for l in sys.stdin for w in json.loads(l)['words'] if json.loads(l)['type'] == 'final'))")
        printf "%-16s %s\n" "$(basename "$clip" .flac)" "${words:-(none)}"
    done
fi
