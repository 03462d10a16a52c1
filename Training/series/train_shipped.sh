#!/bin/sh
# Trains the shipped S4D forecasters (ETTh1 and ETTh2, horizons 96/192/336/720) into
# Sources/SluiceSeries/Models/<dataset>-<horizon>/ and prints one JSON score line per model.
#   Training/series/train_shipped.sh /path/to/ETT-small [python]
set -eu
data=${1:?usage: train_shipped.sh ETT-DIR [python]}
python=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
models="$here/../../Sources/SluiceSeries/Models"
for dataset in ETTh1 ETTh2; do
    for horizon in 96 192 336 720; do
        name=$(echo "$dataset" | tr '[:upper:]' '[:lower:]')-$horizon
        "$python" "$here/train.py" --data "$data/$dataset.csv" --model s4d --horizon "$horizon" \
            --out "$models/$name" | tail -n 1
    done
done
