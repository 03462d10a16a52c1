#!/usr/bin/env bash
# Time-series benchmark: the ETT MSE/MAE table at four horizons (Sluice's shipped S4D models through
# `sluice series eval`, the PyTorch score stored with each model, DLinear/Mamba trained by
# Training/series/train_baselines.sh, published numbers and naive baselines), the NAB score on the whole
# corpus (`sluice series nab --results`, scored by Sluice's scorer and by NAB's own Python scorer on the same
# files, with a leave-one-group-out settings search) next to the published detectors, and the streaming cost
# per row after 1k, 100k and 1M rows of history. Prints Markdown.
#
# Usage: Benchmarks/series-benchmark.sh [ETT_DIR] [NAB_DIR] [PARTS]
#   ETT_DIR  default ../shared/data/ett
#   NAB_DIR  a whole NAB checkout; default: Benchmarks/series/fetch-nab.sh's cache (fetched on first use;
#            NAB_REPO and NAB_CACHE as that script says)
#   PARTS    comma-separated subset of ett,nab,cost (default all)
# NAB's scorer runs in a venv beside the cache (NAB_CACHE/venv, pandas from PyPI), made on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=$PWD/.build/release/sluice
[[ -x $sluice ]] || { echo "error: build first: swift build -c release" >&2; exit 1; }
parts=${3:-ett,nab,cost}
nab=${2:-}
venv=${NAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/nab}/venv
if [[ ,$parts, == *,nab,* ]]; then
    [[ -n $nab ]] || nab=$(Benchmarks/series/fetch-nab.sh)
    if ! "$venv/bin/python" -c "import pandas" 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "pandas==2.2.3"
    fi
fi
NAB_PYTHON=$venv/bin/python python3 Benchmarks/series/report.py "$sluice" "${1:-../shared/data/ett}" "${nab:-none}" "$parts"
