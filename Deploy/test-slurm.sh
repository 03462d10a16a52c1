#!/usr/bin/env bash
# `sluice batch` as a Slurm job array (Deploy/slurm/sluice-batch.sbatch) on a one-node Slurm started by
# Deploy/slurm/local-slurm.sh: a 3-task array over a folder of 18 recordings (transcribed with tiny.en) must
# write the same outputs, byte for byte, as one unsharded run, with consistent manifests — after one task
# is cancelled midway (scancel) and requeued, resuming where it stopped; a whole-array resubmission then
# finds nothing to do. Needs slurm-wlm and munge (Scripts/bootstrap), root, and the tiny.en model.
# Usage: Deploy/test-slurm.sh        (SLUICE=path/to/sluice; default .build/release/sluice)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sluice="${SLUICE:-$root/.build/release/sluice}"
for tool in slurmctld slurmd munged sbatch; do
    command -v "$tool" >/dev/null || { echo "test-slurm: $tool is not installed (Scripts/bootstrap installs slurm-wlm and munge)" >&2; exit 1; }
done
[ -x "$sluice" ] || { echo "test-slurm: $sluice is not built" >&2; exit 1; }

test_started=$(date +%s.%N)
work=$(mktemp -d /tmp/sluice-slurm-test.XXXXXX)
chmod 755 "$work"
export SLUICE_SLURM_STATE="$work/slurm"
cleanup() {
    Deploy/slurm/local-slurm.sh stop 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "test-slurm: $*"; }
fail() {
    echo "test-slurm: FAILED: $*" >&2
    for log in "$work"/logs/*.log "$SLUICE_SLURM_STATE"/log/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }; done
    exit 1
}
seconds_since() { python3 -c "import time, sys; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

eval "$(Deploy/slurm/local-slurm.sh start)"
second_start=$(Deploy/slurm/local-slurm.sh start 2>&1)
[[ "$second_start" == *"already running"* ]] || fail "a second local-slurm.sh start did not find the cluster running: $second_start"

# 18 inputs in two folders: the LibriSpeech sample as FLAC and as WAV.
mkdir -p "$work/in/flac" "$work/in/wav" "$work/logs"
"$sluice" run Pipelines/resample.yaml -i Samples/1089-134686-0001.flac -o "$work/sample.wav" 2>/dev/null
for i in $(seq -w 1 9); do
    cp Samples/1089-134686-0001.flac "$work/in/flac/$i.flac"
    cp "$work/sample.wav" "$work/in/wav/$i.wav"
done
# Pipelines/transcribe.yaml, greedy and without word times: quicker on 2 cores.
options=(--set asr.beam_size=1 --set asr.word_timestamps=false)

started=$(date +%s.%N)
"$sluice" batch "$work/in" --pipeline Pipelines/transcribe.yaml --out "$work/single" "${options[@]}" 2>"$work/logs/single.log" ||
    fail "the single run"
say "single run: 18 inputs in $(seconds_since "$started") s"

submit() {  # sbatch ARGUMENTS… of the job script over in → array (with SLUICE_SHARDS=$shards if set); prints the job id
    sbatch --parsable --chdir="$root" --open-mode=append --output="$work/logs/%A_%a.log" \
        --export="ALL,SLUICE=$sluice${shards:+,SLUICE_SHARDS=$shards}" "$@" Deploy/slurm/sluice-batch.sbatch "$work/in" "$work/array" \
        Pipelines/transcribe.yaml "${options[@]}"
}
wait_for() {  # JOB: until it has left the queue (5 min at most)
    for _ in $(seq 3000); do
        [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
        sleep 0.1
    done
    fail "job $1 still queued after 5 minutes: $(squeue -j "$1")"
}
state_of() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }

# The array; task 1 is cancelled once it has finished an input (its shard is the largest: 8 of the 18 paths
# hash to it).
started=$(date +%s.%N)
job=$(submit --array=1-3)
victim=1
manifest="$work/array/.sluice-manifest.shard-$victim-of-3.jsonl"
for _ in $(seq 3000); do
    [ -s "$manifest" ] && break
    sleep 0.05
done
[ -s "$manifest" ] || fail "task $victim finished no input within 150 s"
scancel "${job}_$victim"
wait_for "$job"
say "array job $job (3 tasks) done in $(seconds_since "$started") s; task $victim: $(state_of "${job}_$victim")"
[ "$(state_of "${job}_$victim")" = CANCELLED ] || fail "task $victim is $(state_of "${job}_$victim"), not CANCELLED"
for task in 2 3; do [ "$(state_of "${job}_$task")" = COMPLETED ] || fail "task $task is $(state_of "${job}_$task")"; done
shard_size=$(sed -n "s/.*shard $victim\/3 ([^)]*): \([0-9]*\) of .*/\1/p" "$work/logs/${job}_$victim.log" | head -1)
done_at_cancel=$(wc -l <"$manifest")
[ -n "$shard_size" ] || fail "task $victim's log does not say how many inputs its shard has"
[ "$done_at_cancel" -lt "$shard_size" ] || fail "task $victim had finished all $shard_size inputs before it was cancelled"
say "task $victim cancelled midway: $done_at_cancel of its $shard_size inputs done"

# Requeued (the same task of the same array: the same shard), it resumes.
scontrol requeue "${job}_$victim"
scontrol update JobId="${job}_$victim" StartTime=now  # requeued jobs otherwise wait two minutes
wait_for "$job"
[ "$(state_of "${job}_$victim")" = COMPLETED ] || fail "requeued task $victim is $(state_of "${job}_$victim")"
resumed=$(grep "shard $victim/3" "$work/logs/${job}_$victim.log" | tail -1)
echo "$resumed" | grep -q "; $done_at_cancel already done, $((shard_size - done_at_cancel)) to process" ||
    fail "requeued task $victim did not resume from its manifest: $resumed"
say "task $victim requeued: ${resumed#sluice: batch: }"

# The same outputs, byte for byte, and manifests that agree.
compare() {
    (cd "$work/single" && find . -type f ! -name '.*' | sort) >"$work/single.files"
    (cd "$work/array" && find . -type f ! -name '.*' | sort) >"$work/array.files"
    diff "$work/single.files" "$work/array.files" || fail "the array wrote other files than the single run"
    while read -r file; do
        cmp -s "$work/single/$file" "$work/array/$file" || fail "$file differs between the single run and the array"
    done <"$work/single.files"
    python3 - "$work/single" "$work/array" <<'EOF' || fail "the manifests disagree"
import glob, json, sys
def entries(folder):
    """{input: [entries]} over every manifest in folder."""
    found = {}
    for path in sorted(glob.glob(f"{folder}/.sluice-manifest*.jsonl")):
        for line in open(path):
            entry = json.loads(line)
            found.setdefault(entry["input"], []).append((path.rsplit("/", 1)[1], entry))
    return found
single, array = entries(sys.argv[1]), entries(sys.argv[2])
assert single.keys() == array.keys(), f"inputs: {sorted(single.keys() ^ array.keys())}"
keys = ("status", "outputs", "size", "pipeline")
for name in single:
    assert len(single[name]) == 1 and len(array[name]) == 1, f"{name}: recorded {len(array[name])} times in the array's manifests"
    a, b = single[name][0][1], array[name][0][1]
    assert all(a[k] == b[k] for k in keys), f"{name}: {a} vs {b}"
    assert a["status"] == "ok", f"{name}: {a}"
shards = sorted({manifest for entries in array.values() for manifest, _ in entries})
print(f"{len(single)} inputs, each recorded once, ok, with the same outputs, size and pipeline; array manifests: {', '.join(shards)}")
EOF
}
compare | sed 's/^/test-slurm: manifests: /'
say "the array's $(wc -l <"$work/array.files") outputs equal the single run's, byte for byte"

# The whole array again: every shard is done, nothing is rewritten.
before=$(cd "$work/array" && find . -type f ! -name '.*' -printf '%p %T@\n' | sort | md5sum)
again=$(submit --array=1-3)
wait_for "$again"
for task in 1 2 3; do
    grep "shard $task/3" "$work/logs/${again}_$task.log" | grep -q "already done, 0 to process" ||
        fail "resubmitted task $task found work: $(grep "shard $task/3" "$work/logs/${again}_$task.log")"
done
[ "$before" = "$(cd "$work/array" && find . -type f ! -name '.*' -printf '%p %T@\n' | sort | md5sum)" ] ||
    fail "the resubmitted array rewrote outputs"
compare >/dev/null
say "whole array resubmitted: each task had 0 to process, no output rewritten"

# One task submitted alone keeps its shard when told the count.
one=$(shards=3 submit --array=2)
wait_for "$one"
grep -q "shard 2/3 (--shard 2/3): .*already done, 0 to process" "$work/logs/${one}_2.log" ||
    fail "task 2 submitted alone with SLUICE_SHARDS=3: $(cat "$work/logs/${one}_2.log")"
say "task 2 submitted alone with SLUICE_SHARDS=3: shard 2/3, 0 to process"
say "passed in $(seconds_since "$test_started") s"
