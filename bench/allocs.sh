#!/usr/bin/env bash
# Usage: bench/allocs.sh [POLICYD_BINARY...]   (default: .build/release/policyd)
#
# Heap allocations per request of each binary, whole server: a uprobe on glibc's malloc
# (`perf probe -x libc.so.6 malloc`, added for the run and removed after unless it was there),
# counted with `perf stat -p <policyd>` over a wrk run (-t1 -c8, keep-alive, 2 s) per endpoint:
# runner status, decisions (the suite's 10 rotating bodies) and healthz, divided by the
# requests wrk got answered. Each binary serves its defaults plus $ALLOCS_FLAGS with
# bench/policies/realistic-10.json on network 1. Counts are exact: the same binary gives the
# same integers whatever else the machine is doing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
binaries=("$@")
[ "${#binaries[@]}" -gt 0 ] || binaries=("$root/.build/release/policyd")
for tool in perf wrk curl; do
    command -v "$tool" >/dev/null || { echo "allocs: $tool not found" >&2; exit 2; }
done
# shellcheck source=bench/lib.sh
. "$bench/lib.sh"
bench_init policyd-allocs

libc="$(ldconfig -p | awk '/libc\.so\.6 .*x86-64|libc\.so\.6 \(libc6,x86-64/ {print $NF; exit}')"
[ -n "$libc" ] || libc=/lib/x86_64-linux-gnu/libc.so.6
added=""
if ! perf probe -l 2>/dev/null | grep -q 'probe_libc:malloc '; then
    perf probe -q -x "$libc" malloc
    added=yes
fi
remove_probe() { [ -z "$added" ] || perf probe -q -d probe_libc:malloc || true; }
trap 'remove_probe; bench_cleanup' EXIT

for bin in "${binaries[@]}"; do
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    # shellcheck disable=SC2086 # ALLOCS_FLAGS is a list of flags
    POLICYD_SHUTDOWN_DELAY=0 "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data-$port" ${ALLOCS_FLAGS:-} \
        >"$work/policyd-$port.log" 2>&1 &
    server=$!
    pids+=("$server")
    wait_for "$base/readyz"
    put_policy "$base" 1 "$bench/policies/realistic-10.json"
    echo "$bin ${ALLOCS_FLAGS:-}"
    for endpoint in runner decisions healthz; do
        case "$endpoint" in
            runner) script=plain.lua url="$base/v1/networks/1/runner" ;;
            healthz) script=plain.lua url="$base/healthz" ;;
            decisions) script=decisions.lua url="$base/" ;;
        esac
        perf stat -x, -e probe_libc:malloc -p "$server" -o "$work/stat" &
        stat=$!
        sleep 0.3
        line="$(BENCH_LABEL="$endpoint" BENCH_LUA="$bench/lua" BENCH_NETWORK=1 \
            wrk -t1 -c8 -d2s -s "$bench/lua/$script" "$url" | grep '^RESULT')"
        sleep 0.3
        kill -INT "$stat"
        wait "$stat" || true
        mallocs="$(awk -F, '/probe_libc:malloc/ {print $1}' "$work/stat")"
        requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")"
        python3 -c "print(f'  {\"$endpoint\":10} {$mallocs / $requests:6.2f} allocations per request ($mallocs over $requests requests)')"
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
done
