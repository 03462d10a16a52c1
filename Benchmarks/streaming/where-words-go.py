#!/usr/bin/env python3
"""Where the stream's deleted words went: each reference word the final lane lacks, traced through the
stream's step trace (`--set asr.trace=FILE`) to the rule that dropped it.

Usage: where-words-go.py EVENTS.jsonl TRACE.jsonl OFFLINE.json REFERENCE.txt
Prints one line per deleted word: its time (from the offline word timestamps; between its neighbours' where
offline decoding lacks it too), the rule, and the step evidence; then a count per rule. Rules, checked in this order:
  repeat_cut      the word was removed as a phrase said again (RepetitionGuard.repeatCut)
  policy_dropped  the agreement policy dropped it as old or as a re-read of the final text
  forgotten       it was pending (partial) when the buffer was cut or the gate heard silence
  rejected        only steps that a check rejected (no_speech, compression_ratio, loop) decoded it
  partial_lost    it was partial and a later hypothesis went on without it
  misheard        a final word took its place (a substitution nearby; the model heard something else)
  never_decoded   no step decoded it: the gate, the audio, or the model
"""
import difflib
import json
import sys

from whisper_normalizer.english import EnglishTextNormalizer

normalize = EnglishTextNormalizer()


def keys(text):
    return normalize(text).split()


def main():
    events_path, trace_path, offline_path, reference_path = sys.argv[1:5]
    reference = keys(open(reference_path).read())
    stream = []
    for line in open(events_path):
        event = json.loads(line)
        if event["type"] == "final":
            stream += keys(event["text"])
    offline = []  # (key, start, end)
    for segment in json.load(open(offline_path))["segments"]:
        for word in segment.get("words") or []:
            offline += [(key, word["start"], word["end"]) for key in keys(word["word"])]
    steps = [json.loads(line) for line in open(trace_path)]

    # Reference index -> offline time, where offline decoding has the word.
    times = {}
    matcher = difflib.SequenceMatcher(a=reference, b=[k for k, _, _ in offline], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            times[block.a + k] = offline[block.b + k][1:]

    # A word offline decoding lacks lies between the nearest words it has.
    timed = sorted(times)
    for index in range(len(reference)):
        if index not in times and timed:
            before = [i for i in timed if i < index]
            after = [i for i in timed if i > index]
            start = times[before[-1]][1] if before else 0.0
            end = times[after[0]][0] if after else start + 1.0
            times[index] = (start, max(start, end))

    deleted = []  # (reference index, substituted nearby)
    matcher = difflib.SequenceMatcher(a=reference, b=stream, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "delete" or (tag == "replace" and a1 - a0 > b1 - b0):
            deleted += [(i, tag == "replace") for i in range(a0 + (b1 - b0 if tag == "replace" else 0), a1)]

    counts = {}
    for index, substituted in deleted:
        word = reference[index]
        span = times[index]
        rule, evidence = "never_decoded", ""
        covering = [s for s in steps if s["buffer_start"] <= span[0] and s["audio_end"] >= span[1]]
        # The word with a neighbour of its reference context, so that the same short word elsewhere in a
        # step's text ("a", "i") does not count.
        pairs = {(reference[index - 1], word)} if index > 0 else set()
        pairs |= {(word, reference[index + 1])} if index + 1 < len(reference) else set()

        def seen(field):
            found = []
            for s in covering:
                text = keys(s.get(field, ""))
                if (set(zip(text, text[1:])) & pairs) if len(text) > 1 else word in text:
                    found.append(s)
            return found

        for field, name in (("repeat_cut", "repeat_cut"), ("policy_dropped", "policy_dropped"), ("forgotten", "forgotten")):
            if seen(field):
                rule, evidence = name, f"step {seen(field)[-1]['audio_end']:.1f} s"
                break
        else:
            decoded = seen("decoded")
            if decoded and all(s["verdict"] != "accepted" for s in decoded):
                rule = "rejected"
                evidence = ", ".join(sorted({s["verdict"] for s in decoded}))
            elif seen("partial"):
                rule, evidence = "partial_lost", f"last partial at {seen('partial')[-1]['audio_end']:.1f} s"
            elif substituted or decoded:
                rule = "misheard"
            silences = [s for s in covering if s["verdict"] == "silence"]
            if rule == "never_decoded" and silences:
                evidence = f"{len(silences)} silent steps"
        counts[rule] = counts.get(rule, 0) + 1
        when = f"{span[0]:7.2f}"
        context = " ".join(reference[max(0, index - 3):index]) + f" [{word}] " + " ".join(reference[index + 1:index + 4])
        print(f"{when}  {rule:15} {context:50} {evidence}")
    print("deleted words:", len(deleted), "; by rule:", json.dumps(counts))


if __name__ == "__main__":
    main()
