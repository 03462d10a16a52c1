# Sourced by the Whisper benchmarks: `measure NAME COMMAND...` runs COMMAND under GNU time, its output to
# $work/NAME.log and "wall_s peak_rss_kb" to $work/NAME.time; a failure prints the log's tail and exits.
measure() {
    local name=$1; shift
    echo "running $name" >&2
    if ! /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1; then
        echo "error: $name failed; its output:" >&2; tail -n 20 "$work/$name.log" >&2; exit 1
    fi
}
