#!/usr/bin/env bash
# Streaming in noise: a stream of LibriSpeech utterances, each mixed with a real noise or music recording
# (Benchmarks/streaming/mix-noise.py: seeded, noise chosen per utterance, running on through the pauses) at
# each SNR, streamed through Pipelines/transcribe-stream.yaml and decoded offline (beam 5, the same audio).
# Prints, per SNR: WER against the reference with substitutions, deletions and insertions for the stream's
# final lane and for offline decoding, and the stream's median/p90 final-word latency (against the offline
# word times), and where the stream's deleted words went (Benchmarks/streaming/where-words-go.py over the
# step trace; each word in WORK/snr-SNR.deleted.txt). Then each noise clip alone through the stream: final
# words (should be none).
#
# Usage: Benchmarks/streaming-noise.sh [--set asr.OPTION=VALUE …]   (needs .build/release/sluice, tiny.en,
#   ../shared/data). Env: SNRS (default "clean 20 10 5"), STREAM_SECONDS (320), STREAM_PART (0), SEED (1),
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
if [[ ${REALTIME:-1} == 1 ]]; then pace=(--realtime); else pace=(--set asr.keep_up=false); fi

rows=()
for snr in ${SNRS:-clean 20 10 5}; do
    base=$work/snr-$snr
    "$py" Benchmarks/streaming/mix-noise.py "$base.wav" "$snr" "${STREAM_SECONDS:-320}" "${STREAM_PART:-0}" "${SEED:-1}"
    seconds=$("$py" -c "import soundfile, sys; print(soundfile.info(sys.argv[1]).duration)" "$base.wav")
    "$sluice" transcribe "$base.wav" --word-timestamps --format verbose_json > "$base.offline.json"
    "$sluice" run Pipelines/transcribe-stream.yaml -i "$base.wav" "${pace[@]}" --set asr.trace="$base.trace.jsonl" "$@" \
        > "$base.stream.jsonl"
    rows+=("$snr $("$py" Benchmarks/streaming/latency.py "$base.stream.jsonl" "$base.offline.json" "$base.txt" "$seconds")")
    "$py" Benchmarks/streaming/where-words-go.py "$base.stream.jsonl" "$base.trace.jsonl" "$base.offline.json" "$base.txt" \
        > "$base.deleted.txt"
done

echo "noisy streams: ${STREAM_SECONDS:-320} s of LibriSpeech (part ${STREAM_PART:-0}, seed ${SEED:-1}); tiny.en; stream $([[ ${REALTIME:-1} == 1 ]] && echo "at real time" || echo "in fixed 0.5 s steps")"
printf "%-6s %-8s %7s %5s %5s %5s %9s %6s\n" SNR system "WER %" S D I median_s p90_s
printf '%s\n' "${rows[@]}" | "$py" -c "
import json, sys
for line in sys.stdin:
    snr, stats = line.split(maxsplit=1)
    s = json.loads(stats)
    words = len(open('$work/snr-' + snr + '.txt').read().split())
    for system, sdi, extra in (('stream', s['stream_sdi'], (s['median_latency_s'], s['p90_latency_s'])), ('offline', s['offline_sdi'], None)):
        wer = 100 * sum(sdi) / words
        lat = f'{extra[0]:9.2f} {extra[1]:6.2f}' if extra and extra[0] is not None else f\"{'-':>9} {'-':>6}\"
        print(f'{snr:6} {system:8} {wer:7.2f} {sdi[0]:5d} {sdi[1]:5d} {sdi[2]:5d} {lat}')
"
for snr in ${SNRS:-clean 20 10 5}; do echo "SNR $snr: $(tail -n 1 "$work/snr-$snr.deleted.txt")"; done

if [[ ${CLIPS:-1} == 1 ]]; then
    echo
    printf "%-16s %s\n" "clip alone" "final words"
    for clip in "$("$py" Benchmarks/whisper/librispeech.py --data-dir)"/noise/freesound/*.flac; do
        words=$("$sluice" run Pipelines/transcribe-stream.yaml -i "$clip" --set asr.keep_up=false "$@" \
            | "$py" -c "import json, sys; print(' '.join(w['word'].strip() for l in sys.stdin for w in json.loads(l)['words'] if json.loads(l)['type'] == 'final'))")
        printf "%-16s %s\n" "$(basename "$clip" .flac)" "${words:-(none)}"
    done
fi
