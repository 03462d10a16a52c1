"""Reads SRT and WebVTT files with the parsers subtitle tools use (srt, webvtt-py) and checks Sluice's layout.

Usage: check_subtitles.py DURATION MAX_WIDTH MAX_LINES FILE.srt|FILE.vtt...
Prints one line per file ("FILE: N cues") and exits 1 naming the first cue that breaks a rule: a line longer
than MAX_WIDTH, more than MAX_LINES lines, a cue outside [0, DURATION] seconds, or cues out of order or overlapping.
"""
import sys

import srt
import webvtt


def seconds(timestamp):
    """`HH:MM:SS.mmm` (WebVTT) in seconds."""
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def cues_of(path):
    if path.endswith(".srt"):
        with open(path, encoding="utf-8") as file:
            return [(c.start.total_seconds(), c.end.total_seconds(), c.content.split("\n")) for c in srt.parse(file.read())]
    return [(seconds(c.start), seconds(c.end), c.text.split("\n")) for c in webvtt.read(path)]


def main():
    duration, width, count = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    for path in sys.argv[4:]:
        cues = cues_of(path)
        if not cues:
            sys.exit(f"{path}: no cues")
        previous_end = 0.0
        for number, (start, end, lines) in enumerate(cues, 1):
            where = f"{path}: cue {number} ({start:.3f} --> {end:.3f})"
            if not (previous_end <= start < end <= duration + 0.0005):
                sys.exit(f"{where}: outside the audio (0 to {duration}) or overlapping the cue before")
            if len(lines) > count or any(len(line) > width for line in lines):
                sys.exit(f"{where}: {lines} breaks the layout ({count} lines of {width})")
            previous_end = end
        print(f"{path}: {len(cues)} cues")


main()
