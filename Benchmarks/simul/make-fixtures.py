"""Writes the golden fixtures of SluiceSimul's metrics with the reference implementations themselves.

    python3 -m venv ~/.cache/sluice/simul-venv
    ~/.cache/sluice/simul-venv/bin/pip install simuleval==1.1.4 sacrebleu==2.6.0
    ~/.cache/sluice/simul-venv/bin/python Benchmarks/simul/make-fixtures.py

Latency comes from SimulEval's own scorer classes (simuleval/evaluator/scorers/latency_scorer.py) run on its
`LogInstance`, the type its evaluator re-reads `instances.log` into; quality from sacreBLEU's `BLEU` and `CHRF`
with their defaults. Output: Tests/SluiceSimulTests/Fixtures/{latency,quality}.json (small, committed).
"""
import json
import statistics
from importlib.metadata import version
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from simuleval.evaluator.instance import LogInstance
from simuleval.evaluator.scorers.latency_scorer import (
    ALScorer,
    APScorer,
    DALScorer,
    EndOffsetScorer,
    LAALScorer,
    StartOffsetScorer,
)

FIXTURES = Path(__file__).resolve().parents[2] / "Tests/SluiceSimulTests/Fixtures"
SCORERS = {
    "AL": ALScorer,
    "LAAL": LAALScorer,
    "DAL": DALScorer,
    "AP": APScorer,
    "StartOffset": StartOffsetScorer,
    "EndOffset": EndOffsetScorer,
}

# (name, delays, elapsed, source_length, reference or None)
LATENCY_CASES = [
    ("wait3 10x10 words", [3, 4, 5, 6, 7, 8, 9, 10, 10, 10], None, 10, "a b c d e f g h i j"),
    ("offline, every delay = |X|", [10, 10, 10, 10, 10, 10, 10, 10], None, 10, "a b c d e f g h"),
    ("first delay past |X|", [12, 12, 13], None, 10, "a b c"),
    ("hypothesis longer than reference", [2, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8], None, 8, "a b c d e f"),
    ("hypothesis shorter than reference", [4, 6, 8], None, 8, "a b c d e f g h"),
    ("never reaches |X|", [1, 2, 3], None, 9, "a b c d e"),
    ("no reference: |Y| = |hyp|", [2, 3, 3, 5, 6], None, 6, None),
    ("reference with double space and newline", [1, 2, 4, 4], None, 4, "x  y z\n"),
    ("empty hypothesis", [], None, 7, "a b c"),
    (
        "speech ms with elapsed",
        [1280.0, 1280.0, 1920.0, 2560.0, 3310.5, 3310.5],
        [1391.2, 1391.2, 2088.7, 2805.3, 3650.9, 3650.9],
        3310.5,
        "das ist ein kleiner Test hier",
    ),
    ("speech ms, one word at the end", [5000.0], [5400.25], 5000.0, "hallo welt"),
]

CORPUS_CASES = [
    ("mixed corpus with an empty hypothesis", [0, 2, 4, 8]),
    ("speech corpus", [9, 10]),
    ("only empty hypotheses", [8]),
]

# (name, hypotheses, references)
QUALITY_CASES = [
    ("exact match", ["The cat sat on the mat."], ["The cat sat on the mat."]),
    ("partial overlap", ["the cat is on the mat"], ["there is a cat on the mat"]),
    ("empty hypothesis", [""], ["a non-empty reference"]),
    ("hypothesis shorter than 4 tokens", ["hello world"], ["hello world"]),
    (
        "corpus with a reference shorter than 6 characters",
        ["a cat sat", "the dog barked loudly"],
        ["cat", "the dog barked"],
    ),
    (
        "hypothesis longer than reference",
        ["It is a guide to action which ensures that the military always obeys the commands of the party."],
        ["It is a guide to action that ensures that the military will forever heed Party commands."],
    ),
    (
        "unicode and accents",
        ["Le garçon a mangé une crème brûlée à Zürich.", "Ça coûte 3,50 € — très cher !"],
        ["Le garçon mange une crème brûlée à Zurich.", "Cela coûte 3,50 € ; c'est très cher !"],
    ),
    ("decomposed accents differ from precomposed", ["cre\u0301me bru\u0302le\u0301e"], ["crème brûlée"]),
    (
        "punctuation and numbers",
        ["In 2019-2020, U.S. sales rose 3.5% to $1,000,000 (approx.)."],
        ["In 2019 - 2020 U.S. sales grew 3.5 % to $1,000,000, approximately."],
    ),
    (
        "markup entities and skipped",
        ["a &amp;lt; b &quot;quoted&quot; <skipped> done", "line-\nbreak and\nnewline"],
        ["a < b \"quoted\" done", "linebreak and newline"],
    ),
    (
        "multi-sentence corpus",
        [
            "The quick brown fox jumps over the lazy dog.",
            "I have two apples and three oranges.",
            "She did not go to the market yesterday.",
            "Results are shown in table 2.",
        ],
        [
            "A quick brown fox jumped over the lazy dog.",
            "I have got two apples and three oranges.",
            "Yesterday she didn't go to the market.",
            "The results are shown in Table 2.",
        ],
    ),
]

TOKENIZER_CASES = [
    "Hello, world! It's 3.14, not 3,14.",
    "e.g. U.S.A. (hi) [x] {y} a/b a-b 10-20 -5 x.y 1.5.",
    "tabs\tand\u00a0nbsp and\u2003em space\u001cfile separator",
    "quotes \"double\" 'single' «guillemets» — dash … ellipsis",
    "trailing dot .",
    "a &amp;lt; b &gt; c &quot;d&quot; <skipped> e",
    "",
]


def log_instance(delays, elapsed, source_length, reference):
    info = {
        "index": 0,
        "prediction": " ".join("w" for _ in delays),
        "delays": delays,
        "elapsed": elapsed if elapsed is not None else [0] * len(delays),
        "source_length": source_length,
        "reference": reference if reference is not None else "",
    }
    instance = LogInstance(json.dumps(info))
    if reference is None:
        instance.reference = None
    return instance


def score_corpus(scorer, instances):
    try:
        return scorer({index: ins for index, ins in enumerate(instances)})
    except statistics.StatisticsError:
        return None  # every instance was skipped: SimulEval's mean() of nothing raises


def latency_scores(instances, computation_aware, use_ref_len):
    if computation_aware and all(ins.elapsed == [0] * len(ins.delays) for ins in instances):
        return None
    return {
        name: score_corpus(cls(computation_aware=computation_aware, use_ref_len=use_ref_len), instances)
        for name, cls in SCORERS.items()
    }


def latency_fixture():
    cases = []
    for name, delays, elapsed, source_length, reference in LATENCY_CASES:
        instance = log_instance(delays, elapsed, source_length, reference)
        case = {
            "name": name,
            "delays": delays,
            "elapsed": elapsed,
            "source_length": source_length,
            "reference": reference,
            "reference_length": instance.reference_length if reference is not None else None,
            "scores": latency_scores([instance], False, True),
            "scores_without_reference_length": latency_scores([instance], False, False),
        }
        if elapsed is not None:
            case["computation_aware_scores"] = latency_scores([instance], True, True)
        cases.append(case)
    corpora = []
    for name, indices in CORPUS_CASES:
        instances = [log_instance(*LATENCY_CASES[i][1:]) for i in indices]
        corpora.append({"name": name, "cases": indices, "scores": latency_scores(instances, False, True)})
    quick_start = quick_start_corpus()
    return {
        "generator": f"simuleval {version('simuleval')}",
        "cases": cases,
        "corpora": corpora,
        "quick_start": quick_start,
    }


def quick_start_corpus():
    """SimulEval's examples/quick_start (source = target, random-letter wait-3 agent): delays are deterministic."""
    sources = [
        "Z U S N B Y X Q L O T",
        "M A J F P G O Y V R H M Z O T A",
        "M O W A O I D H H B O F",
        "N Q N I P C O H A A",
        "G B O J H P W C I A L V",
        "P T Z D E E N T B Y G Z R K",
        "F S H U K R W K S B R K M B B Q F C O U",
        "M H O L W Z G J Y X J B I",
        "A V B F E S F E W Q C S",
        "F N O I E Z B R S C V N S",
    ]
    instances, rows = [], []
    for index, source in enumerate(sources):
        length = len(source.split())
        delays = [min(3 + i, length) for i in range(length)]
        reference = source + ("\n" if index < len(sources) - 1 else "")  # lines as read from target.txt
        instances.append(log_instance(delays, None, length, reference))
        rows.append({"delays": delays, "source_length": length, "reference": reference})
    scores = latency_scores(instances, False, True)
    return {"instances": rows, "scores": scores, "printed": {k: round(v, 3) for k, v in scores.items()}}


def quality_fixture():
    tokenizer = Tokenizer13a()
    cases = []
    for name, hypotheses, references in QUALITY_CASES:
        bleu = BLEU().corpus_score(hypotheses, [references])
        sentence_bleu = BLEU(effective_order=True)
        chrf = CHRF()
        cases.append({
            "name": name,
            "hypotheses": hypotheses,
            "references": references,
            "bleu": {
                "score": bleu.score,
                "counts": bleu.counts,
                "totals": bleu.totals,
                "precisions": bleu.precisions,
                "bp": bleu.bp,
                "sys_len": bleu.sys_len,
                "ref_len": bleu.ref_len,
                "printed": str(bleu),
            },
            "chrf": chrf.corpus_score(hypotheses, [references]).score,
            "sentence_bleu": [sentence_bleu.sentence_score(h, [r]).score for h, r in zip(hypotheses, references)],
            "sentence_chrf": [chrf.sentence_score(h, [r]).score for h, r in zip(hypotheses, references)],
        })
    return {
        "generator": f"sacrebleu {version('sacrebleu')}",
        "tokenizations": [{"input": line, "output": tokenizer(line)} for line in TOKENIZER_CASES],
        "cases": cases,
    }


def write(name, payload):
    path = FIXTURES / name
    path.write_text(json.dumps(payload, ensure_ascii=True, indent=1) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    write("latency.json", latency_fixture())
    write("quality.json", quality_fixture())
