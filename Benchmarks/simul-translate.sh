#!/usr/bin/env bash
# Simultaneous speech translation: quality and latency of each read/write policy at each latency level, against
# offline translation by the same model (Whisper base), on the real non-English clips of
# ../shared/data/speech-nonenglish (3 Spanish LibriVox segments, 1 French Common Voice clip: 17 s of speech in
# all, with loose references — a sanity check, not a benchmark of record).
#
# Each clip is one SimulEval instance, fed as fast as it decodes (fixed steps), with the language given; metrics
# come from `sluice simul score` (SimulEval's AL/LAAL/DAL/AP in seconds, computation-aware *_ca = audio read +
# wall-clock since the start; sacreBLEU BLEU and chrF). Offline rows write every word at the end of the audio.
# "chrF vs offline" scores each run against the offline beam-5 output instead of the references (how much of
# the offline translation the policy keeps). A last section identifies the language (streaming: the first 3 s;
# offline: the first 30 s window).
#
# Usage: Benchmarks/simul-translate.sh            (needs .build/release/sluice, python3, ../shared/data; installs sox when missing)
#        Benchmarks/simul-translate.sh memory [MINUTES]   (default 10: the clips joined with 1 s pauses, repeated,
#                                                          on stdin through Pipelines/translate-stream.yaml)
#   Env: SLUICE_BIN, SLUICE_DATA (default ../shared/data), SLUICE_BENCH_WORK (default ~/.cache/sluice/simul-work; emptied)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=${SLUICE_BIN:-$PWD/.build/release/sluice}
data=${SLUICE_DATA:-$PWD/../shared/data}/speech-nonenglish
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/simul-work}
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
if ! command -v sox >/dev/null; then
    echo "simul-translate: installing sox (clip lengths, joining clips) with apt-get" >&2
    apt-get install -y sox >&2
fi
"$sluice" models fetch base > /dev/null
rm -rf "$work" && mkdir -p "$work"

# id, wav, language, reference (one instance per line).
python3 - "$data" > "$work/clips.tsv" <<'PY'
import csv, sys, pathlib
root = pathlib.Path(sys.argv[1])
for row in csv.DictReader(open(root / "seamless_mined_audiobook_es_en/pairs.tsv"), delimiter="\t"):
    print("\t".join([row["id"][:24], str(root / "seamless_mined_audiobook_es_en/es" / (row["id"] + ".wav")), "es",
                     row["en_reference_from_mined_english_audiobook"]]))
for row in csv.DictReader(open(root / "speechbrain_cv_fr/translation.tsv"), delimiter="\t"):
    print("\t".join([row["id"].split("/")[-1], str(root / (row["id"] + ".wav")), row["src_lang"], row["en_translation"]]))
PY
cut -f4 "$work/clips.tsv" > "$work/references.txt"

if [[ ${1:-} == memory ]]; then
    # The clips at 16 kHz mono, each followed by 1 s of silence, joined.
    i=0
    while IFS=$'\t' read -r _ wav _ _; do
        sox "$wav" -r 16000 -c 1 "$work/part$i.wav" pad 0 1
        i=$((i + 1))
    done < "$work/clips.tsv"
    sox "$work"/part*.wav "$work/once.wav"
    PIPELINE=Pipelines/translate-stream.yaml STAGE=translate ONCE="$work/once.wav" STEP_MS=500 \
        SLUICE_BENCH_WORK="$work/memory" exec Benchmarks/streaming-memory.sh "${2:-10}"
fi

# One event log per clip: $1 = run name, the rest = stage settings (policy=…, latency=…, window_ms=…).
stream() {
    local name=$1; shift
    local settings=(--set translate.keep_up=false)
    for setting in "$@"; do settings+=(--set "translate.$setting"); done
    mkdir -p "$work/$name"
    while IFS=$'\t' read -r id wav language _; do
        local lang=(--set "translate.language=$language")
        [[ $name == *detect* ]] && lang=()
        "$sluice" run Pipelines/translate-stream.yaml -i "$wav" "${settings[@]}" "${lang[@]}" > "$work/$name/$id.jsonl"
    done < "$work/clips.tsv"
}

# Offline: the whole clip translated at once, every word written at the end (computation: decoding, not loading).
offline() {
    local name=$1; shift
    mkdir -p "$work/$name"
    while IFS=$'\t' read -r id wav language _; do
        "$sluice" transcribe --model base --task translate --language "$language" --timings "$@" "$wav" > "$work/$name/$id.txt" 2> "$work/$name/$id.timings"
        python3 - "$wav" "$work/$name/$id.txt" "$work/$name/$id.timings" > "$work/$name/$id.jsonl" <<'PY'
import json, re, subprocess, sys
duration = float(subprocess.run(["soxi", "-D", sys.argv[1]], capture_output=True, text=True, check=True).stdout)
text = " ".join(open(sys.argv[2]).read().split())
timings = open(sys.argv[3]).read()
total, load = (float(re.search(p, timings).group(1)) for p in (r"total (\d+) ms", r"load (\d+) ms"))
words = [{"word": " " + w} for w in text.split()]
print(json.dumps({"lane": "target", "type": "final", "text": text, "words": words, "audio_end": duration,
                  "source_audio_s": duration, "emitted_at": (total - load) / 1000, "source_words": None}))
PY
        head -n 1 "$work/$name/$id.txt" > /dev/null
    done < "$work/clips.tsv"
}

logs() { cut -f1 "$work/clips.tsv" | sed "s|^|$work/$1/|; s|\$|.jsonl|"; }
score() { "$sluice" simul score $(logs "$1") --references "${2:-$work/references.txt}"; }

offline offline-beam5
offline offline-greedy --beam-size 1
for id in $(cut -f1 "$work/clips.tsv"); do
    python3 -c "import json,sys; print(' '.join(w['word'].strip() for w in json.load(open(sys.argv[1]))['words']))" "$work/offline-beam5/$id.jsonl"
done > "$work/offline-references.txt"

runs=(offline-beam5 offline-greedy)
for policy in align_att wait_k local_agreement; do
    for level in low low_medium medium medium_high high; do
        stream "$policy-$level" policy="$policy" latency="$level"
        runs+=("$policy-$level")
    done
done

printf '%-26s %6s %6s %9s %10s %6s %6s %6s %5s %7s %8s %7s\n' run BLEU chrF "chrF/off" "chrF~off" AL LAAL DAL AP AL_ca LAAL_ca start
offline_chrf=$(score offline-beam5 | python3 -c "import json,sys; print(json.load(sys.stdin)['chrf'])")
for run in "${runs[@]}"; do
    quality=$(score "$run")
    agreement=$(score "$run" "$work/offline-references.txt")
    python3 - "$run" "$quality" "$agreement" "$offline_chrf" <<'PY'
import json, sys
q, a, off = json.loads(sys.argv[2]), json.loads(sys.argv[3]), float(sys.argv[4])
print(f"{sys.argv[1]:26s} {q['bleu']:6.1f} {q['chrf']:6.1f} {q['chrf'] / off:9.2f} {a['chrf']:10.1f} {q['AL']:6.2f} {q['LAAL']:6.2f} "
      f"{q['DAL']:6.2f} {q['AP']:5.2f} {q['AL_ca']:7.2f} {q['LAAL_ca']:8.2f} {q['StartOffset']:7.2f}")
PY
done
echo "(latency in seconds of source audio; ${#runs[@]} runs × $(wc -l < "$work/clips.tsv") clips; chrF/off = chrF ÷ offline beam-5 chrF; chrF~off = chrF against the offline output)"

# The encoder's window, the source lane, and language identification, at align_att medium.
stream align_att-medium-window30 window_ms=30000
stream align_att-medium-source_lane source_lane=true
stream align_att-medium-detect
for run in align_att-medium-window30 align_att-medium-source_lane align_att-medium-detect; do
    python3 - "$run" "$(score "$run")" "$offline_chrf" <<'PY'
import json, sys
q, off = json.loads(sys.argv[2]), float(sys.argv[3])
words = f"; in source words AL {q['AL_words']:.2f} LAAL {q['LAAL_words']:.2f} DAL {q['DAL_words']:.2f} AP {q['AP_words']:.2f}" if "AL_words" in q else ""
print(f"{sys.argv[1]:30s} chrF {q['chrf']:5.1f} ({q['chrf'] / off:.2f} of offline) AL {q['AL']:.2f} AL_ca {q['AL_ca']:.2f} LAAL_ca {q['LAAL_ca']:.2f}{words}")
PY
done

echo
echo "Language identification (expected, streaming after 3 s, offline 30 s window):"
correct=0; offline_correct=0; total=0
while IFS=$'\t' read -r id wav language _; do
    streamed=$(python3 -c "import json,sys; print(([json.loads(l).get('language','') for l in open(sys.argv[1])] or ['none'])[-1])" "$work/align_att-medium-detect/$id.jsonl")
    whole=$("$sluice" transcribe --model base --format verbose_json "$wav" | python3 -c "
import json, sys
names = {'spanish': 'es', 'french': 'fr', 'english': 'en'}  # verbose_json names the language
language = json.load(sys.stdin)['language']
print(names.get(language, language))")
    echo "  $id: $language, $streamed, $whole"
    total=$((total + 1)); [[ $streamed == "$language" ]] && correct=$((correct + 1)); [[ $whole == "$language" ]] && offline_correct=$((offline_correct + 1))
done < "$work/clips.tsv"
echo "  correct: streaming $correct/$total, offline $offline_correct/$total"
