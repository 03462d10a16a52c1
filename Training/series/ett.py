"""ETT data under the standard protocol: 12/4/4-month split, scaler fit on train, every test window."""
import csv

import numpy as np

# Borders in rows (Informer data_loader.py): hourly files; the 15-minute files multiply by 4.
HOURLY_BORDERS = (8640, 11520, 14400)


def load_csv(path):
    """Returns (channel names, values [rows, channels] float64) of an ETT CSV (first column is the date)."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0][1:], np.array([[float(v) for v in row[1:]] for row in rows[1:]], dtype=np.float64)


def borders(path):
    """Train, val and test ends in rows for an ETT file (ETTm files have 4 rows an hour)."""
    factor = 4 if "ETTm" in path else 1
    return tuple(b * factor for b in HOURLY_BORDERS)


class Split:
    """The scaled series and the window ranges of the three parts for one lookback and horizon."""

    def __init__(self, path, lookback, horizon):
        self.names, raw = load_csv(path)
        train_end, val_end, test_end = borders(path)
        self.mean = raw[:train_end].mean(axis=0)
        self.std = raw[:train_end].std(axis=0)  # population std, as sklearn's StandardScaler
        self.data = (raw - self.mean) / self.std
        self.lookback, self.horizon = lookback, horizon
        # Each part is [start, end): a window's lookback starts at s and its target ends at s + L + H <= end.
        self.parts = {
            "train": (0, train_end),
            "val": (train_end - lookback, val_end),
            "test": (val_end - lookback, test_end),
        }

    def windows(self, part):
        """(inputs [W, L, C], targets [W, H, C]) of every window of a part."""
        start, end = self.parts[part]
        count = end - start - self.lookback - self.horizon + 1
        span = self.lookback + self.horizon
        index = start + np.arange(count)[:, None] + np.arange(span)[None, :]
        block = self.data[index]
        return block[:, : self.lookback], block[:, self.lookback :]
