#!/bin/sh
# Trains the comparison models of the benchmark table (DLinear at lookback 336 on ETTh1/ETTh2 at four
# horizons; the Mamba forecaster at lookback 96 on ETTh1-96, on every 32nd training window for one epoch, as
# its sequential scan in Python is slow on a CPU: a smoke run, not a tuned model) and appends one JSON score
# line per model.
#   Training/series/train_baselines.sh /path/to/ETT-small [python] >> Benchmarks/series/results/baselines.jsonl
set -eu
data=${1:?usage: train_baselines.sh ETT-DIR [python]}
python=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
for dataset in ETTh1 ETTh2; do
    for horizon in 96 192 336 720; do
        "$python" "$here/train.py" --data "$data/$dataset.csv" --model dlinear --horizon "$horizon" | tail -n 1
    done
done
"$python" "$here/train.py" --data "$data/ETTh1.csv" --model mamba --lookback 96 --horizon 96 --epochs 1 --patience 1 \
    --stride 32 | tail -n 1
