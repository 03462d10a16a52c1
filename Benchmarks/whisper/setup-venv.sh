#!/usr/bin/env bash
# Creates (idempotently) the Python venv for the Whisper parity/speed benchmark and the golden fixtures.
# It lives outside the repo: ${SLUICE_BENCH_VENV:-$HOME/.cache/sluice/bench-venv}.
# Usage: Benchmarks/whisper/setup-venv.sh      (prints the venv's path on its last line)
set -euo pipefail
venv=${SLUICE_BENCH_VENV:-$HOME/.cache/sluice/bench-venv}
# Pinned: faster-whisper is the parity target, so its version (and CTranslate2's) must not drift.
pins=(faster-whisper==1.2.1 ctranslate2==4.8.5 jiwer==4.0.0 whisper-normalizer==0.1.15 soundfile==0.14.0)

if [[ ! -x $venv/bin/python ]]; then
    if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
        echo "setup-venv: python3-venv missing; installing it with apt-get" >&2
        apt-get install -y python3-venv >&2
    fi
    echo "setup-venv: creating $venv" >&2
    python3 -m venv "$venv"
fi

# Install only the pins whose exact version is not there yet.
missing=()
for pin in "${pins[@]}"; do
    name=${pin%%==*} want=${pin#*==}
    have=$("$venv/bin/python" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)
    [[ $have == "$want" ]] || missing+=("$pin")
done
if ((${#missing[@]})); then
    echo "setup-venv: installing ${missing[*]}" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}" >&2
else
    echo "setup-venv: $venv already has ${pins[*]}" >&2
fi
echo "$venv"
