#!/usr/bin/env bash
# Usage: bench/profile.sh [runner|decisions|healthz ...]   (default: runner decisions healthz)
#
# Instructions per request, counted by valgrind's callgrind on the release binary: unlike
# requests/s on a shared machine, these counts barely move between runs. For each endpoint,
# policyd runs under callgrind (one server thread, warnings-only log), the counters are
# zeroed after startup, wrk sends requests for a few seconds on 4 keep-alive connections,
# and the counters are dumped. Prints Ir per request and keeps each dump (callgrind_annotate
# reads it) under bench/out/profile-<time>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
policyd="${POLICYD_BIN:-$root/.build/release/policyd}"
seconds="${PROFILE_SECONDS:-5}"
endpoints=("$@")
[ "${#endpoints[@]}" -gt 0 ] || endpoints=(runner decisions healthz)
for tool in valgrind callgrind_control callgrind_annotate wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "profile: $tool not found (apt-get install valgrind wrk)" >&2; exit 2; }
done

out="$bench/out/profile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
work="$(mktemp -d /tmp/policyd-profile.XXXXXX)"
server=""
cleanup() {
    [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT

for endpoint in "${endpoints[@]}"; do
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    base="http://127.0.0.1:$port"
    rm -rf "$work/data"
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$endpoint.%p" \
        "$policyd" serve --host 127.0.0.1 --port "$port" --threads 1 --data-dir "$work/data" --log-level warning \
        2>"$out/valgrind.$endpoint.log" &
    server=$!
    for _ in $(seq 300); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = 200 ] && break
        sleep 0.1
    done
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
        --data-binary "@$bench/policies/realistic-10.json" "$base/v1/networks/1/policy"
    # Warm up (first-time allocations, lazy initialisation), then count from zero.
    for _ in 1 2 3; do curl -s -o /dev/null "$base/v1/networks/1/runner"; done
    case "$endpoint" in
        runner) script=plain.lua url="$base/v1/networks/1/runner" ;;
        healthz) script=plain.lua url="$base/healthz" ;;
        decisions) script=decisions.lua url="$base/" ;;
        *) echo "profile: unknown endpoint $endpoint" >&2; exit 2 ;;
    esac
    BENCH_LABEL=warmup BENCH_LUA="$bench/lua" BENCH_NETWORK=1 wrk -t1 -c4 -d1s -s "$bench/lua/$script" "$url" >/dev/null
    callgrind_control -z "$server" >/dev/null
    result="$(BENCH_LABEL="$endpoint" BENCH_LUA="$bench/lua" BENCH_NETWORK=1 \
        wrk -t1 -c4 -d"${seconds}s" -s "$bench/lua/$script" "$url" | grep '^RESULT')"
    callgrind_control -d "$endpoint" "$server" >/dev/null
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
    requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$result")"
    dump="$(ls -t "$out"/callgrind."$endpoint".*.[0-9]* 2>/dev/null | grep -v '\.[0-9]*$' | head -1 || true)"
    dump="$(ls -t "$out"/callgrind."$endpoint".* | grep -- "-$endpoint\|\.$endpoint\." | head -1)"
    total="$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')"
    printf '%-10s %8d requests  %10d Ir/request  (%s)\n' "$endpoint" "$requests" "$((total / requests))" "$(basename "$dump")" \
        | tee -a "$out/summary.txt"
done
