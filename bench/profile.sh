#!/usr/bin/env bash
# Usage: bench/profile.sh [runner|decisions|healthz ...]   (default: runner decisions)
#
# Where policyd's CPU goes under load: the release binary serves on 127.0.0.1 (its defaults
# plus $PROFILE_FLAGS, its own temporary data directory), wrk drives one endpoint for PROFILE_SECONDS (8)
# with the suite's settings, and `perf record` samples the server (cpu-clock, call graphs).
# Prints the share of each library and the heaviest functions (inclusive); the perf data is
# kept under bench/out/profile-<time>/ for `perf report -i`.
#
# valgrind --tool=callgrind would count instructions instead of sampling, but valgrind 3.19
# (Debian 12) crashes inside the Swift 6.3 runtime before main, even with debug info stripped.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
policyd="${POLICYD_BIN:-$root/.build/release/policyd}"
seconds="${PROFILE_SECONDS:-8}"
endpoints=("$@")
[ "${#endpoints[@]}" -gt 0 ] || endpoints=(runner decisions)
for tool in perf wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "profile: $tool not found (apt-get install linux-perf wrk)" >&2; exit 2; }
done

out="$bench/out/profile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
# shellcheck source=bench/lib.sh
. "$bench/lib.sh"
bench_init policyd-profile

port="$(free_port)"
base="http://127.0.0.1:$port"
# The default configuration unless PROFILE_FLAGS says otherwise (e.g. "--log-level warning").
# shellcheck disable=SC2086 # PROFILE_FLAGS is a list of flags
POLICYD_SHUTDOWN_DELAY=0 "$policyd" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" ${PROFILE_FLAGS:-} \
    2>"$out/policyd-stderr.log" &
server=$!
pids+=("$server")
wait_for "$base/readyz"
put_policy "$base" 1 "$bench/policies/realistic-10.json"

for endpoint in "${endpoints[@]}"; do
    case "$endpoint" in
        runner) script=plain.lua url="$base/v1/networks/1/runner" ;;
        healthz) script=plain.lua url="$base/healthz" ;;
        decisions) script=decisions.lua url="$base/" ;;
        *) echo "profile: unknown endpoint $endpoint" >&2; exit 2 ;;
    esac
    BENCH_LABEL="$endpoint" BENCH_LUA="$bench/lua" BENCH_NETWORK=1 \
        wrk -t2 -c32 -d"$((seconds + 1))s" -s "$bench/lua/$script" "$url" >"$out/wrk.$endpoint.log" &
    load=$!
    sleep 0.5
    perf record -F 1999 -g -p "$server" -o "$out/perf.$endpoint.data" -- sleep "$seconds" 2>/dev/null
    wait "$load"
    {
        echo "== $endpoint: $(grep '^RESULT' "$out/wrk.$endpoint.log")"
        perf report -i "$out/perf.$endpoint.data" --no-children --sort dso -g none 2>/dev/null | grep '%' | head -6
        echo "-- heaviest user-space functions (inclusive)"
        perf report -i "$out/perf.$endpoint.data" --children --sort symbol -g none 2>/dev/null \
            | grep '%' | grep -v '\[k\]' | grep -v ' 0x0\| 0000000' | head -25 | cut -c1-160
    } | tee "$out/summary.$endpoint.txt"
done
