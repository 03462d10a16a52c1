#!/usr/bin/env bash
# Throughput and memory of `sluice run Pipelines/resample.yaml -i - -o out.wav` on a long 44.1 kHz stereo
# WAV piped on stdin, next to SoX doing the same conversion (rate -h, the same libsoxr HQ recipe, and
# downmix) in the same run.
#
# Usage: Benchmarks/resample-stdin.sh [MINUTES]   (default 20; needs sox and ../shared/data)
# Input: real speech — LibriSpeech test-other utterances concatenated, converted to 44.1 kHz stereo
# and repeated to the length asked for.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-20}
data=../shared/data/librispeech/LibriSpeech/test-other
work=$(mktemp -d /tmp/sluice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release >/dev/null
sluice=.build/release/sluice

# One pass over the utterances (~10 min of speech), then repeated to the requested length.
mapfile -t files < <(find "$data" -name '*.flac' | sort)
sox "${files[@]}" -r 44100 -c 2 "$work/once.wav"
once_s=$(soxi -D "$work/once.wav")
repeats=$(python3 -c "import math; print(math.ceil($minutes*60/$once_s))")
list=(); for _ in $(seq "$repeats"); do list+=("$work/once.wav"); done
sox "${list[@]}" "$work/long.wav" trim 0 $((minutes * 60))
input_s=$(soxi -D "$work/long.wav")

measure() {  # name, command...; prints "name wall_s peak_rss_kb"
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time.$name" bash -c "$*"
    read -r wall rss < "$work/time.$name"
    echo "$name $wall $rss"
}

sluice_row=$(measure sluice "cat $work/long.wav | $sluice run Pipelines/resample.yaml -i - -o $work/sluice.wav")
sox_row=$(measure sox "cat $work/long.wav | sox -t wav - -r 16000 -c 1 -b 16 $work/sox.wav rate -h")

python3 - "$input_s" "$work" "$sluice_row" "$sox_row" <<'PY'
import subprocess, sys
input_s, work, *rows = sys.argv[1:]
input_s = float(input_s)
def info(path):
    out = lambda flag: subprocess.run(["soxi", flag, path], capture_output=True, text=True).stdout.strip()
    return float(out("-D")), int(out("-r")), int(out("-c"))
print(f"input: {input_s:.1f} s of 44.1 kHz stereo WAV on stdin (real speech)")
print(f"{'tool':8} {'wall s':>8} {'x real time':>12} {'peak RSS MB':>12} {'out s':>9} {'out rate':>9} {'out ch':>7}")
walls = {}
for row in rows:
    name, wall, rss = row.split()
    wall = float(wall); walls[name] = wall
    dur, rate, ch = info(f"{work}/{name}.wav")
    print(f"{name:8} {wall:8.2f} {input_s / wall:12.1f} {int(rss) / 1024:12.1f} {dur:9.3f} {rate:9d} {ch:7d}")
print(f"sluice time / sox time: {walls['sluice'] / walls['sox']:.2f}")
PY
