#!/usr/bin/env bash
# Two `sluice serve` instances behind HAProxy with Deploy/haproxy/haproxy.cfg (its ports rewritten to free
# ones): 3 concurrent real-time WebSocket streams and 100 uploads through the proxy, one instance sent
# SIGTERM while its streams are 40% sent. Passes when every stream's final text equals that of the same
# audio streamed without a drain, every stream closes normally, and every upload answers 200 with the text
# of an undisturbed upload. Needs haproxy (Scripts/bootstrap), python3 and the tiny.en model.
# Usage: Deploy/test-haproxy.sh        (SLUICE=path/to/sluice; default .build/release/sluice)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sluice="${SLUICE:-$root/.build/release/sluice}"
uploads="${UPLOADS:-100}"
command -v haproxy >/dev/null || { echo "test-haproxy: haproxy is not installed (Scripts/bootstrap installs it)" >&2; exit 1; }
[ -x "$sluice" ] || { echo "test-haproxy: $sluice is not built" >&2; exit 1; }

work=$(mktemp -d /tmp/sluice-haproxy.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "test-haproxy: $*"; }
fail() {
    echo "test-haproxy: FAILED: $*" >&2
    for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done
    exit 1
}

# Audio: the LibriSpeech sample (3.3 s) as 16 kHz WAV, and three ~10 s streams made of it.
"$sluice" run Pipelines/resample.yaml -i Samples/1089-134686-0001.flac -o "$work/sample.wav" 2>/dev/null
python3 - "$work" <<'EOF'
import sys, wave
work = sys.argv[1]
with wave.open(f"{work}/sample.wav") as w:
    params, speech = w.getparams(), w.readframes(w.getnframes())
silence = lambda seconds: bytes(2 * int(16000 * seconds))
layouts = {"a": [speech, speech, speech], "b": [speech, silence(1), speech, speech],
           "c": [silence(0.5), speech, silence(0.5), speech, speech]}
for name, parts in layouts.items():
    with wave.open(f"{work}/stream-{name}.wav", "wb") as out:
        out.setparams(params)
        out.writeframes(b"".join(parts))
EOF
# The shipped pipelines, lighter for 2 cores: streams in fixed 1 s steps (keep_up: false, so a stream's words
# do not depend on how busy the machine is and a drained run can be compared with an undisturbed one);
# uploads decoded greedily without word times.
sed 's/step_ms: 500 }/step_ms: 1000, keep_up: false }/' Pipelines/transcribe-stream.yaml >"$work/stream.yaml"
sed 's/beam_size: 5, word_timestamps: true/beam_size: 1, word_timestamps: false/' Pipelines/transcribe.yaml >"$work/offline.yaml"
grep -q 'keep_up: false' "$work/stream.yaml" || fail "could not set keep_up in Pipelines/transcribe-stream.yaml"
grep -q 'beam_size: 1' "$work/offline.yaml" || fail "could not set beam_size in Pipelines/transcribe.yaml"

read -r proxy_port port1 port2 < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')

start_instance() {  # NAME PORT: starts sluice serve; sets $instance_pid
    "$sluice" serve --pipeline "$work/stream.yaml" "$work/offline.yaml" --port "$2" --max-sessions 4 \
        --drain-timeout 120 2>"$work/$1.log" &
    instance_pid=$!
    pids+=("$instance_pid")
    for _ in $(seq 600); do
        grep -q "serving on" "$work/$1.log" && return 0
        kill -0 "$instance_pid" 2>/dev/null || fail "$1 exited at start"
        sleep 0.1
    done
    fail "$1 did not start within 60 s"
}
start_instance sluice1 "$port1"
pid1=$instance_pid
start_instance sluice2 "$port2"
pid2=$instance_pid

# The shipped configuration with this run's ports and socket.
sed -e "s/127.0.0.1:8080/127.0.0.1:$proxy_port/" -e "s/127.0.0.1:8081/127.0.0.1:$port1/" \
    -e "s/127.0.0.1:8082/127.0.0.1:$port2/" -e "s#/run/haproxy/admin.sock#$work/haproxy.sock#" \
    Deploy/haproxy/haproxy.cfg >"$work/haproxy.cfg"
haproxy -c -q -f "$work/haproxy.cfg" || fail "haproxy -c rejected the configuration"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)

# HAProxy's view of the instances: "NAME STATUS" lines.
server_states() {
    python3 - "$work/haproxy.sock" "${1:-svname,status}" <<'EOF'
import csv, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
rows = list(csv.DictReader(data.decode().lstrip("# ").splitlines()))
fields = sys.argv[2].split(",")
for row in rows:
    if row["pxname"] == "sluice_instances" and row["svname"] not in ("FRONTEND", "BACKEND"):
        print(" ".join(row[f] for f in fields))
EOF
}
for _ in $(seq 100); do
    [ "$(server_states | grep -c ' UP$')" = 2 ] && break
    sleep 0.2
done
[ "$(server_states | grep -c ' UP$')" = 2 ] || fail "the instances are not UP in HAProxy: $(server_states)"
say "haproxy on :$proxy_port, instances on :$port1 (pid $pid1) and :$port2 (pid $pid2), both UP"

streams=("$work"/stream-a.wav "$work"/stream-b.wav "$work"/stream-c.wav)
python3 Deploy/haproxy/drive.py reference "$proxy_port" Samples/1089-134686-0001.flac "${streams[@]}" \
    >"$work/reference.json" || fail "the undisturbed streams and upload"
say "undisturbed: $(cat "$work/reference.json")"

# A watcher records HAProxy's view once a second while the drain runs.
(while :; do echo "$(date +%s.%N) $(server_states | tr '\n' ' ')"; sleep 1; done) >"$work/states.txt" 2>/dev/null &
pids+=($!)
watcher=$!
python3 Deploy/haproxy/drive.py drain "$proxy_port" Samples/1089-134686-0001.flac "$uploads" "$work/reference.json" \
    "$port1:$pid1" "$port2:$pid2" -- "${streams[@]}" | tee "$work/drive.txt" || fail "streams or uploads through the drain"
kill "$watcher"

# The drained instance exited 0 after its streams ended; HAProxy had taken it out.
drained=$(sed -n 's/.*"sigterm": "instance on port \([0-9]*\).*/\1/p' "$work/drive.txt")
if [ "$drained" = "$port1" ]; then drained_pid=$pid1 name=sluice1; else drained_pid=$pid2 name=sluice2; fi
status=0
wait "$drained_pid" || status=$?
[ "$status" = 0 ] || fail "$name exited $status after SIGTERM"
grep -q "all sessions drained" "$work/$name.log" || fail "$name did not say it drained its sessions"
grep -q "$name DOWN" "$work/states.txt" || fail "HAProxy never marked $name DOWN: $(cat "$work/states.txt")"
sigterm_at=$(sed -n 's/.*"epoch": \([0-9.]*\).*/\1/p' "$work/drive.txt")
down_at=$(grep -m1 "$name DOWN" "$work/states.txt" | cut -d' ' -f1)
say "$name drained and exited 0; HAProxy showed it DOWN $(python3 -c "print(f'{$down_at - $sigterm_at:.1f}')") s after its SIGTERM (polled each second)"
say "per instance (HAProxy: sessions, 2xx, 5xx answers, retries, redispatches):"
server_states svname,status,stot,hrsp_2xx,hrsp_5xx,wretr,wredis | sed 's/^/    /'
say "passed"
