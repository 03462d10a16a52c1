#!/usr/bin/env bash
# The float32 matrix products of Whisper's encoder (base and tiny; a 30 s window, 1500 positions, and the 8 s window
# of streaming translation, 400) in each GEMM library Debian offers, against the roofline: NumPy's own OpenBLAS
# (scipy-openblas, newer than Debian's) on the same shapes. GFLOP/s, median of 41 runs, 2 threads; one table.
#
# Libraries: Debian's OpenBLAS 0.3.21 with OPENBLAS_CORETYPE as Sluice sets it (BLAS.swift: SkylakeX with
# AVX-512, else Haswell) and without (its own CPU table), BLIS 0.9 (libblis4-pthread) and oneDNN 2.6
# (libdnnl2, dnnl_sgemm). Installs libblis-pthread-dev and libdnnl-dev with apt-get when missing.
# Usage: Benchmarks/gemm-libraries.sh     (needs gcc; Benchmarks/whisper/setup-venv.sh's venv for NumPy)
set -euo pipefail
cd "$(dirname "$0")"
work=${SLUICE_BENCH_WORK:-$HOME/.cache/sluice/gemm-bench}
mkdir -p "$work"
for package in libblis-pthread-dev libdnnl-dev libopenblas-dev; do
    dpkg -s "$package" > /dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >&2
done
blis=/usr/lib/x86_64-linux-gnu/blis-pthread
gcc -O2 gemm/sgemm-bench.c -o "$work/openblas" -lopenblas
gcc -O2 gemm/sgemm-bench.c -o "$work/blis" -I/usr/include/x86_64-linux-gnu -L"$blis" -Wl,-rpath,"$blis" -lblis
gcc -O2 -DUSE_DNNL gemm/sgemm-bench.c -o "$work/onednn" -ldnnl
venv=$(whisper/setup-venv.sh 2> /dev/null | tail -n 1)

core=Haswell
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && core=SkylakeX
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 BLIS_NUM_THREADS=2 OMP_WAIT_POLICY=passive
numpy() {
    "$venv/bin/python" -c "
import sys, time, numpy as np
m, k, n = map(int, sys.argv[1:])
a, b = np.random.rand(m, k).astype(np.float32) - 0.5, np.random.rand(n, k).astype(np.float32) - 0.5
for _ in range(3): a @ b.T
times = []
for _ in range(41):
    start = time.perf_counter(); a @ b.T; times.append(time.perf_counter() - start)
print(f'{2 * m * n * k / sorted(times)[20] / 1e9:.1f}')" "$@"
}

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores); OpenBLAS kernel as Sluice picks it: $core"
printf '%-26s %8s %9s %9s %8s %8s %7s\n' "shape (M×K·K×N)" NumPy OpenBLAS "OB $core" BLIS oneDNN "best/NumPy"
for model in "base 512" "tiny 384"; do
    set -- $model
    name=$1 d=$2
    for positions in 1500 400; do
        for shape in "$positions $d $d" "$positions $d $((4 * d))" "$positions $((4 * d)) $d"; do
            set -- $shape
            roof=$(numpy "$@")
            own=$(env -u OPENBLAS_CORETYPE "$work/openblas" "$@")
            tuned=$(OPENBLAS_CORETYPE=$core "$work/openblas" "$@")
            blis_rate=$("$work/blis" "$@")
            dnnl_rate=$("$work/onednn" "$@")
            best=$(printf '%s\n' "$tuned" "$blis_rate" "$dnnl_rate" | sort -g | tail -n 1)
            printf '%-26s %8s %9s %9s %8s %8s %7.2f\n' "$name $1×$2·$2×$3" "$roof" "$own" "$tuned" "$blis_rate" "$dnnl_rate" \
                "$(python3 -c "print($best / $roof)")"
        done
    done
done
echo "(GFLOP/s, median of 41; 'OpenBLAS' = Debian's with its own CPU detection, 'OB $core' = as Sluice loads it)"
