#!/usr/bin/env bash
# Brings the whole Numenta Anomaly Benchmark (github.com/numenta/NAB, MIT: 58 data files, label windows,
# profiles, NAB's own Python scorer and the published detectors' results files) into a cache outside the
# repository, pinned to one commit, and prints the path. Idempotent: a cache already at the pinned commit is
# left as it is.
#
# Usage: Benchmarks/series/fetch-nab.sh
#   NAB_REPO   where to clone from (default https://github.com/numenta/NAB.git; a local mirror works)
#   NAB_CACHE  the cache folder (default ${XDG_CACHE_HOME:-~/.cache}/sluice/nab); the clone is NAB_CACHE/NAB
set -euo pipefail
pin=ea702d75cc2258d9d7dd35ca8e5e2539d71f3140  # NAB HEAD of 2024-12 ("chore: MIT License (#408)")
repo=${NAB_REPO:-https://github.com/numenta/NAB.git}
cache=${NAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/nab}
dir=$cache/NAB
if [[ -d $dir/.git ]] && [[ $(git -C "$dir" rev-parse HEAD 2>/dev/null) == "$pin" ]] &&
    git -C "$dir" diff --quiet HEAD 2>/dev/null && [[ -f $dir/labels/combined_windows.json ]]; then
    echo "$dir"
    exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git -C "$tmp" init --quiet
git -C "$tmp" remote add origin "$repo"
# One commit, no history: fetch the pinned commit itself; a server that refuses fetching by id gets a full clone.
if ! git -C "$tmp" fetch --quiet --depth 1 origin "$pin" 2>/dev/null; then
    git -C "$tmp" fetch --quiet origin
fi
git -C "$tmp" -c advice.detachedHead=false checkout --quiet "$pin"
count=$(find "$tmp/data" -name '*.csv' | wc -l)
[[ $count -eq 58 ]] || { echo "error: expected 58 NAB data files at $pin, found $count" >&2; exit 1; }
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "$dir"
