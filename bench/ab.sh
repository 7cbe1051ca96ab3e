#!/usr/bin/env bash
# Usage: bench/ab.sh OLD_POLICYD NEW_POLICYD [ROUNDS]
#
# Two policyd builds side by side (e.g. a worktree of an older commit built with
# `swift build -c release --product policyd`, and this tree's), each with its defaults plus
# $AB_FLAGS (no shutdown delay; AB_OLD_FLAGS and AB_NEW_FLAGS add flags to one side only, so
# one build can be compared with itself, e.g. AB_OLD_FLAGS=--access-log), each on its own port and
# temporary data directory with bench/policies/realistic-10.json on network 1, driven
# alternately by the suite's wrk runs (runner, then decisions), ROUNDS (6) times. Prints
# req/s and the server's CPU per request of every run, then the medians and the per-round
# new/old ratios: on a shared machine, alternating in one window is what makes two builds
# comparable.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD_POLICYD NEW_POLICYD [ROUNDS]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
rounds="${3:-6}"
# shellcheck source=bench/lib.sh
. "$bench/lib.sh"
bench_init policyd-ab

declare -A pid_of url_of
for side in old new; do
    bin="$1" side_flags="${AB_OLD_FLAGS:-}"
    [ "$side" = new ] && bin="$2" side_flags="${AB_NEW_FLAGS:-}"
    port="$(free_port)"
    # stdout to a file: a server holding this script's stdout would keep $(...) callers waiting.
    # The default configuration unless AB_FLAGS says otherwise (e.g. "--log-level warning");
    # no shutdown delay (the variable: builds older than the flag ignore it).
    # shellcheck disable=SC2086 # AB_FLAGS is a list of flags
    POLICYD_SHUTDOWN_DELAY=0 "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$work/$side" ${AB_FLAGS:-} $side_flags \
        >"$work/$side.log" 2>&1 &
    pids+=("$!")
    pid_of[$side]="$!"
    url_of[$side]="http://127.0.0.1:$port"
    wait_for "${url_of[$side]}/readyz"
    put_policy "${url_of[$side]}" 1 "$bench/policies/realistic-10.json"
done

run() { # run SIDE ENDPOINT: one wrk run, printed as "SIDE-ENDPOINT rps=.. cpu_us=.."
    local side="$1" endpoint="$2" script=plain.lua url before after line requests
    url="${url_of[$side]}/v1/networks/1/runner"
    if [ "$endpoint" = decisions ]; then script=decisions.lua; url="${url_of[$side]}/"; fi
    before="$(awk '{print $14 + $15}' "/proc/${pid_of[$side]}/stat")"
    line="$(BENCH_NETWORK=1 BENCH_LABEL="$side-$endpoint" BENCH_LUA="$bench/lua" \
        wrk -t2 -c32 -d3s --latency -s "$bench/lua/$script" "$url" | grep '^RESULT')"
    after="$(awk '{print $14 + $15}' "/proc/${pid_of[$side]}/stat")"
    requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")"
    echo "$side-$endpoint $(sed -E 's/.*(rps=[0-9.]+).*/\1/' <<<"$line") cpu_us=$(python3 -c \
        "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / max($requests, 1), 2))")"
}

for round in $(seq "$rounds"); do
    echo "round $round/$rounds" >&2
    for endpoint in runner decisions; do
        run old "$endpoint"
        run new "$endpoint"
    done
done | tee "$work/runs.txt"

python3 - "$work/runs.txt" <<'PY'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
def values(label, key):
    return [float(dict(f.split("=") for f in r[1:])[key]) for r in runs if r[0] == label]
for endpoint in ("runner", "decisions"):
    o, n = values(f"old-{endpoint}", "rps"), values(f"new-{endpoint}", "rps")
    oc, nc = values(f"old-{endpoint}", "cpu_us"), values(f"new-{endpoint}", "cpu_us")
    print(f"{endpoint}: req/s old {statistics.median(o):.0f} new {statistics.median(n):.0f}, "
          f"new/old per round {[round(b / a, 2) for a, b in zip(o, n)]}")
    print(f"{endpoint}: CPU us/req old {statistics.median(oc):.2f} ({min(oc):.2f}-{max(oc):.2f}) "
          f"new {statistics.median(nc):.2f} ({min(nc):.2f}-{max(nc):.2f}), new/old per round {[round(b / a, 2) for a, b in zip(oc, nc)]}")
PY
