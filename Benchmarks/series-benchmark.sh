#!/usr/bin/env bash
# Time-series benchmark: the ETT MSE/MAE table at four horizons (Sluice's shipped S4D models through
# `sluice series eval`, the PyTorch score stored with each model, DLinear/Mamba trained by
# Training/series/train_baselines.sh, published numbers and naive baselines), the NAB score
# (`sluice series nab`, official scoring rules) next to published detectors, and the streaming cost per
# row after 1k, 100k and 1M rows of history. Prints Markdown.
#
# Usage: Benchmarks/series-benchmark.sh [ETT_DIR] [NAB_DIR]   (defaults: ../shared/data/ett, ../shared/data/nab)
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
python3 Benchmarks/series/report.py "$sluice" "${1:-../shared/data/ett}" "${2:-../shared/data/nab}"
