"""Naive ETT baselines on the standard protocol (pure Python): repeat-last and seasonal-naive 24 h.

    python3 Benchmarks/series/ett_naive.py ETTh1.csv 96   ->  {"repeat_last": [mse, mae], "seasonal_24": [mse, mae], "windows": n}
"""
import csv
import json
import sys

TRAIN_END, VAL_END, TEST_END = 8640, 11520, 14400


def main(path, horizon):
    with open(path, newline="") as handle:
        rows = [[float(v) for v in row[1:]] for row in list(csv.reader(handle))[1:]]
    channels = len(rows[0])
    mean = [sum(r[c] for r in rows[:TRAIN_END]) / TRAIN_END for c in range(channels)]
    std = [(sum((r[c] - mean[c]) ** 2 for r in rows[:TRAIN_END]) / TRAIN_END) ** 0.5 for c in range(channels)]
    data = [[(r[c] - mean[c]) / std[c] for c in range(channels)] for r in rows]
    windows = TEST_END - VAL_END - horizon + 1
    totals = {"repeat_last": [0.0, 0.0], "seasonal_24": [0.0, 0.0]}
    for w in range(windows):
        end = VAL_END + w  # first forecast row
        for step in range(horizon):
            actual = data[end + step]
            last = data[end - 1]
            season = data[end - 24 + step % 24]
            for c in range(channels):
                for name, guess in (("repeat_last", last[c]), ("seasonal_24", season[c])):
                    error = guess - actual[c]
                    totals[name][0] += error * error
                    totals[name][1] += abs(error)
    count = windows * horizon * channels
    print(json.dumps({**{k: [v[0] / count, v[1] / count] for k, v in totals.items()}, "windows": windows}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
