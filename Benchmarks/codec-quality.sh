#!/usr/bin/env bash
# Codec quality and speed: the bundled Sluice codec (2 kbps) next to Opus at 6, 8 and 12 kbps, on held-out
# LibriSpeech speakers (never seen in training, Training/codec/train.py HELD_OUT_SPEAKERS) and on music.
# Reports bitrate, PESQ-WB, STOI, mel distance, SI-SNR, codebook usage; encode/decode speed on one core
# (OPENBLAS_NUM_THREADS=1, pinned with taskset) and the algorithmic latency.
#
#   Benchmarks/codec-quality.sh [DATA_DIR]     (default ../shared/data; installs opus-tools with apt-get when missing)
#
# Results: $WORK/results.json and a Markdown table on stdout. A Python venv with pesq, pystoi, scipy and
# soundfile is created outside the repository ($SLUICE_CODEC_BENCH_VENV, default ~/.cache/sluice/codec-bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
VENV=${SLUICE_CODEC_BENCH_VENV:-$HOME/.cache/sluice/codec-bench-venv}
WORK=${WORK:-$(mktemp -d /tmp/sluice-codec-bench.XXXXXX)}
SLUICE=.build/release/sluice
HELD_OUT="1089 3331 533"
MUSIC_SECONDS=10

if ! command -v opusenc >/dev/null; then
    echo "codec-quality: installing opus-tools (the Opus anchor) with apt-get" >&2
    apt-get install -y opus-tools >&2 || { echo "error: opusenc not found and apt-get install opus-tools failed" >&2; exit 1; }
fi
[ -x "$SLUICE" ] || swift build -c release
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q numpy scipy soundfile pesq pystoi
fi
echo "work folder: $WORK" >&2

# References: 16 kHz mono WAV, through Sluice's own resampler.
mkdir -p "$WORK/speech/ref" "$WORK/music/ref"
for speaker in $HELD_OUT; do
    find "$DATA/librispeech/LibriSpeech" -path "*/$speaker/*" -name "*.flac" | sort | while read -r f; do
        "$SLUICE" run Pipelines/resample.yaml -i "$f" -o "$WORK/speech/ref/$(basename "${f%.*}").wav"
    done
done
find "$DATA/music" \( -name "*.flac" -o -name "*.ogg" \) | sort | while read -r f; do
    out="$WORK/music/ref/$(basename "${f%.*}").wav"
    "$SLUICE" run Pipelines/resample.yaml -i "$f" -o "$out.full.wav"
    sox "$out.full.wav" "$out" trim 0 "$MUSIC_SECONDS" 2>/dev/null || cp "$out.full.wav" "$out"
    rm -f "$out.full.wav"
done

# Code every reference with each system; NAME.bytes is the size of the coded stream.
for set in speech music; do
    mkdir -p "$WORK/$set/sluice" "$WORK/$set/opus6" "$WORK/$set/opus8" "$WORK/$set/opus12"
    for ref in "$WORK/$set/ref"/*.wav; do
        name=$(basename "${ref%.wav}")
        "$SLUICE" codec encode "$ref" -o "$WORK/$set/sluice/$name.sluc"
        "$SLUICE" codec decode "$WORK/$set/sluice/$name.sluc" -o "$WORK/$set/sluice/$name.wav"
        stat -c %s "$WORK/$set/sluice/$name.sluc" > "$WORK/$set/sluice/$name.bytes"
        for kbps in 6 8 12; do
            opusenc --quiet --bitrate "$kbps" "$ref" "$WORK/$set/opus$kbps/$name.opus"
            opusdec --quiet --rate 16000 "$WORK/$set/opus$kbps/$name.opus" "$WORK/$set/opus$kbps/$name.full.wav"
            sox "$WORK/$set/opus$kbps/$name.full.wav" -c 1 "$WORK/$set/opus$kbps/$name.wav"
            rm "$WORK/$set/opus$kbps/$name.full.wav"
            stat -c %s "$WORK/$set/opus$kbps/$name.opus" > "$WORK/$set/opus$kbps/$name.bytes"
        done
    done
done

"$VENV/bin/python" Benchmarks/codec/quality.py --work "$WORK" --out "$WORK/results.json"

# Speed: all held-out speech as one file, each stage's busy time (its own thread, wall clock), pinned to one
# core; and each whole process's CPU time (user + system: file reading and writing included), which other work
# on the machine inflates far less than wall time.
sox "$WORK/speech/ref"/*.wav "$WORK/all-speech.wav"
seconds=$(soxi -D "$WORK/all-speech.wav")
# The --stats row's 7th column ("busy s"), counted from the left: columns added at the end (the "clipped" count
# was) moved the old count from the right onto "busy %".
busy() { awk -v stage="$1" '$1 == stage { print $7 }'; }
cpu() { awk '{ print $1 + $2 }' "$1"; }
encode_busy=$(OPENBLAS_NUM_THREADS=1 taskset -c 0 /usr/bin/time -f "%U %S" -o "$WORK/encode.cpu" \
    "$SLUICE" codec encode "$WORK/all-speech.wav" -o "$WORK/all.sluc" --stats 2>&1 | busy encode)
decode_busy=$(OPENBLAS_NUM_THREADS=1 taskset -c 0 /usr/bin/time -f "%U %S" -o "$WORK/decode.cpu" \
    "$SLUICE" codec decode "$WORK/all.sluc" -o "$WORK/all.wav" --stats 2>&1 | busy decode)
awk -v s="$seconds" -v e="$encode_busy" -v d="$decode_busy" -v ec="$(cpu "$WORK/encode.cpu")" -v dc="$(cpu "$WORK/decode.cpu")" 'BEGIN {
    printf "\nspeed on one core (%.1f s of audio): encode %.1fx real time (%.3f s), decode %.1fx (%.3f s), encode+decode %.1fx\n", s, s / e, e, s / d, d, s / (e + d)
    printf "by process CPU time: encode %.1fx (%.2f s), decode %.1fx (%.2f s), encode+decode %.1fx\n", s / ec, ec, s / dc, dc, s / (ec + dc) }'
# Latency from the bundled model's config: the transposed decoder waits for one frame, the Vocos decoder for two.
python3 - Sources/SluiceCodec/Model/codec.json <<'PY'
import json, math, sys
c = json.load(open(sys.argv[1]))
frame_ms = 1000 * math.prod(c["strides"]) / c["sample_rate"]
if c.get("decoder") == "vocos":
    why = "a frame's second half waits for the next frame's overlapping first half; no lookahead beyond that"
    print(f"algorithmic latency: {2 * frame_ms:g} ms (two {frame_ms:g} ms frames: {why});", end=" ")
else:
    print(f"algorithmic latency: {frame_ms:g} ms (one frame; every conv is causal, no lookahead);", end=" ")
print(f"a .sluc stream adds (frames_per_chunk - 1) x {frame_ms:g} ms of chunking")
PY
