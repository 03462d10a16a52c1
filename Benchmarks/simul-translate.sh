#!/usr/bin/env bash
# Simultaneous speech translation: quality, latency and language identification of each read/write policy at
# each latency level, against offline translation by the same model (Whisper base, beam 5), on the 20 FLEURS
# utterances of ../shared/data/speech-translation/fleurs-x2en (10 German, 10 Spanish, 269 s in all, English
# FLoRes references): small, so differences of a few chrF points are within noise.
#
# As a user would run it: the language is left to identification (one row restricts it with --languages de,es),
# each clip is one SimulEval instance fed as fast as it decodes (fixed steps; computation-aware *_ca = audio read
# + wall-clock since the start, as SimulEval counts it). Metrics come from `sluice simul score` (SimulEval's AL,
# LAAL, DAL, AP in seconds; sacreBLEU BLEU and chrF), and each run's SimulEval instance log is scored again by
# SimulEval 1.1.4 itself (`simuleval --score-only`) to check that the two scorers agree. Offline rows write every
# word at the end of the audio: Sluice's `transcribe --task translate` and faster-whisper's (beam 5, language
# detected). LID: the share of clips whose identified language is right; "empty": clips with no target text.
#
# Usage: Benchmarks/simul-translate.sh [all|quick]    (needs .build/release/sluice, python3, ../shared/data)
#          all (default): every policy at every level (about 35 minutes on 2 quiet cores); quick: each at medium;
#          score: the table again from the last run's logs
#        Benchmarks/simul-translate.sh memory [MINUTES]   (the clips joined on stdin through
#                                                          Pipelines/translate-stream.yaml; resident memory)
#   Env: SLUICE_BIN, SLUICE_DATA (default ../shared/data), SLUICE_BENCH_WORK (default ~/.cache/sluice/simul-work;
#        emptied), SLUICE_SIMUL_VENV (default ~/.cache/sluice/simul-venv: simuleval 1.1.4, made when missing),
#        SLUICE_BENCH_VENV (faster-whisper, Benchmarks/whisper/setup-venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=${SLUICE_BIN:-$PWD/.build/release/sluice}
data=${SLUICE_DATA:-$PWD/../shared/data}/speech-translation/fleurs-x2en
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/simul-work}
simul_venv=${SLUICE_SIMUL_VENV:-$HOME/.cache/sluice/simul-venv}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
"$sluice" models fetch base > /dev/null
model_dir=$("$sluice" models path base)
[[ ${1:-} == score ]] || { rm -rf "$work" && mkdir -p "$work"; }

# id, audio, language, reference (one instance per line).
python3 - "$data" > "$work/clips.tsv" <<'PY'
import csv, pathlib, sys
root = pathlib.Path(sys.argv[1])
for row in csv.DictReader(open(root / "references.tsv", encoding="utf-8"), delimiter="\t"):
    print("\t".join([row["file"].removesuffix(".ogg"), str(root / row["file"]), row["src_lang"], row["en_ref"]]))
PY
cut -f4 "$work/clips.tsv" > "$work/references.txt"

if [[ ${1:-} == memory ]]; then
    # The clips at 16 kHz mono, each followed by 1 s of silence, joined into one WAV (libsndfile through the
    # benchmark venv's soundfile reads Ogg Opus).
    venv=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)
    "$venv/bin/python" - "$work/clips.tsv" "$work/once.wav" <<'PY'
import sys
import numpy as np
import soundfile
parts = []
for line in open(sys.argv[1], encoding="utf-8"):
    audio, rate = soundfile.read(line.split("\t")[1], dtype="float32")
    assert rate == 16000 and audio.ndim == 1, "FLEURS clips are 16 kHz mono"
    parts += [audio, np.zeros(16000, dtype="float32")]
soundfile.write(sys.argv[2], np.concatenate(parts), 16000, subtype="PCM_16")
PY
    PIPELINE=Pipelines/translate-stream.yaml STAGE=translate ONCE="$work/once.wav" STEP_MS=500 \
        SLUICE_BENCH_WORK="$work/memory" exec Benchmarks/streaming-memory.sh "${2:-10}"
fi

# One event log per clip: $1 = run name, the rest = flags of `sluice transcribe --stream --task translate`.
stream() {
    local name=$1; shift
    mkdir -p "$work/$name"
    while IFS=$'\t' read -r id audio _ _; do
        "$sluice" transcribe --stream --task translate --format jsonl "$@" "$audio" > "$work/$name/$id.jsonl"
    done < "$work/clips.tsv"
}

# Offline: each clip translated whole (beam 5), every word written at the end (computation: decoding, not loading).
offline() {
    local name=$1; shift
    mkdir -p "$work/$name"
    while IFS=$'\t' read -r id audio language _; do
        local lang=(--language "$language")
        [[ $name == *detect* ]] && lang=()
        "$sluice" transcribe --model base --task translate "${lang[@]}" --format verbose_json --timings "$@" "$audio" \
            > "$work/$name/$id.json" 2> "$work/$name/$id.timings"
        python3 - "$work/$name/$id.json" "$work/$name/$id.timings" > "$work/$name/$id.jsonl" <<'PY'
import json, re, sys
result = json.load(open(sys.argv[1]))
timings = open(sys.argv[2]).read()
total, load = (float(re.search(p, timings).group(1)) for p in (r"total (\d+) ms", r"load (\d+) ms"))
text = " ".join(result["text"].split())
names = {"german": "de", "spanish": "es", "english": "en"}
print(json.dumps({"lane": "target", "type": "final", "text": text, "words": [{"word": " " + w} for w in text.split()],
                  "audio_end": result["duration"], "source_audio_s": result["duration"], "emitted_at": (total - load) / 1000,
                  "source_words": None, "language": names.get(result["language"], result["language"])}))
PY
    done < "$work/clips.tsv"
}

# faster-whisper's offline translation (beam 5; language detected, and given) as event logs written at the end.
faster_whisper() {
    local venv
    venv=$(Benchmarks/whisper/setup-venv.sh | tail -n 1)
    "$venv/bin/python" Benchmarks/simul/faster-whisper-offline.py "$work/clips.tsv" "$model_dir" "$work/faster-whisper"
    for mode in detect given; do
        mkdir -p "$work/faster-whisper-$mode"
        while IFS=$'\t' read -r id audio language _; do
            python3 - "$work/faster-whisper/$mode/$id.txt" "$work/offline-beam5-given/$id.jsonl" \
                "$(awk -F'\t' -v id="$id" '$1 == id { print $3 }' "$work/faster-whisper/languages.tsv")" \
                > "$work/faster-whisper-$mode/$id.jsonl" <<'PY'
import json, sys
text = " ".join(open(sys.argv[1]).read().split())
duration = json.loads(open(sys.argv[2]).readline())["audio_end"]
print(json.dumps({"lane": "target", "type": "final", "text": text, "words": [{"word": " " + w} for w in text.split()],
                  "audio_end": duration, "source_audio_s": duration, "emitted_at": 0.0, "source_words": None,
                  "language": sys.argv[3]}))
PY
        done < "$work/clips.tsv"
    done
}

# SimulEval 1.1.4 in its own venv (outside the repository).
if [[ ! -x $simul_venv/bin/simuleval ]]; then
    python3 -m venv "$simul_venv"
    "$simul_venv/bin/pip" install --quiet --disable-pip-version-check simuleval==1.1.4 sacrebleu==2.6.0 >&2
fi

logs() { cut -f1 "$work/clips.tsv" | sed "s|^|$work/$1/|; s|\$|.jsonl|"; }
# Sluice's scores of a run as JSON; also writes the run's SimulEval instance log.
score() { "$sluice" simul score $(logs "$1") --references "${2:-$work/references.txt}" --instances-log "$work/$1/instances.log"; }
# SimulEval's own scores of the run's instance log (milliseconds), as JSON. Two passes: with --computation-aware,
# SimulEval 1.1.4 makes the plainly named scorers computation-aware too (`LatencyScorer.from_args`), so the
# plain metrics come from a pass without it.
simuleval_score() {
    local pass scores=()
    for pass in plain aware; do
        local flags=()
        [[ $pass == aware ]] && flags=(--computation-aware)
        scores+=("$("$simul_venv/bin/python" Benchmarks/simul/simuleval-score.py --output "$work/$1" --source-type speech \
            --target-type text --latency-metrics AL LAAL DAL AP StartOffset EndOffset "${flags[@]}" --quality-metrics BLEU \
            2> /dev/null)")
    done
    python3 -c "
import json, sys
plain, aware = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({**plain, **{k: v for k, v in aware.items() if k.endswith('_CA')}}))" "${scores[@]}"
}

if [[ ${1:-} != score ]]; then
    offline offline-beam5-given
    offline offline-beam5-detect
    faster_whisper
fi
runs=(faster-whisper-detect faster-whisper-given offline-beam5-detect offline-beam5-given)
policies=(align_att wait_k local_agreement)
for policy in "${policies[@]}"; do
    for level in low low_medium medium medium_high high; do
        if [[ ${1:-all} == quick && $level != medium ]]; then continue; fi
        [[ ${1:-} == score ]] || stream "$policy-$level" --policy "$policy" --latency "$level"
        runs+=("$policy-$level")
    done
done
[[ ${1:-} == score ]] || stream align_att-medium-languages --languages de,es
runs+=(align_att-medium-languages)
# AlignAtt decides every 0.5 s; every 1 s halves the computation (a lower computation-aware latency).
[[ ${1:-} == score ]] || stream align_att-medium-step1000 --policy align_att --latency medium --step-ms 1000
runs+=(align_att-medium-step1000)

offline_chrf=$(score faster-whisper-detect | python3 -c "import json,sys; print(json.load(sys.stdin)['chrf'])")
printf '%-28s %5s %5s %8s %5s %5s %5s %5s %6s %7s %5s %5s %9s\n' \
    run BLEU chrF "chrF/off" AL LAAL DAL AP AL_ca LAAL_ca LID empty "SimulEval"
for run in "${runs[@]}"; do
    python3 - "$run" "$(score "$run")" "$(simuleval_score "$run")" "$offline_chrf" "$work" <<'PY'
import json, sys
run, q, s, off, work = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
clips = [line.rstrip("\n").split("\t") for line in open(f"{work}/clips.tsv", encoding="utf-8")]
right = empty = 0
for clip_id, _, language, _ in clips:
    events = [json.loads(line) for line in open(f"{work}/{run}/{clip_id}.jsonl", encoding="utf-8") if line.strip()]
    identified = ([e.get("language", "") for e in events if e.get("language")] or [""])[-1]
    right += identified == language
    empty += not any(e.get("lane") == "target" and e.get("type") == "final" and e.get("text", "").strip() for e in events)
# SimulEval's scores are in milliseconds, Sluice's in seconds; the largest difference over AL, LAAL, DAL, AP and
# their computation-aware forms, in seconds. Sluice prints seconds to 3 decimals, so the two agree when no
# difference is over half a millisecond.
pairs = [(m, m) for m in ("AL", "LAAL", "DAL", "StartOffset", "EndOffset")] + [(m + "_ca", m + "_CA") for m in ("AL", "LAAL", "DAL")]
gap = max(abs(q[a] - s[b] / 1000) for a, b in pairs)
gap = max(gap, abs(q["AP"] - s["AP"]), abs(q["AP_ca"] - s["AP_CA"]))
agree = f"{gap:.0e}" if gap > 0.0005 + 1e-9 else "agrees"
print(f"{run:28s} {q['bleu']:5.1f} {q['chrf']:5.1f} {q['chrf'] / off:8.2f} {q['AL']:5.2f} {q['LAAL']:5.2f} {q['DAL']:5.2f} "
      f"{q['AP']:5.2f} {q['AL_ca']:6.2f} {q['LAAL_ca']:7.2f} {right:2d}/{len(clips)} {empty:5d} {agree:>9s} (BLEU {s['BLEU']:.1f})")
PY
done
echo "(latency in seconds of source audio; chrF/off = chrF ÷ faster-whisper's offline chrF (base, beam 5, language detected);"
echo " $(wc -l < "$work/clips.tsv") clips, $(python3 -c "print(round(sum(float(l.split()[0]) for l in open('/dev/stdin')), 1))" < <(for f in "$work"/offline-beam5-given/*.jsonl; do python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['audio_end'])" "$f"; done)) s of audio;"
echo " SimulEval: its scorer on the run's instances.log against Sluice's, the largest gap over AL, LAAL, DAL, AP, StartOffset, EndOffset and the _ca forms;
 "agrees": within Sluice's printed precision, half a millisecond)"
