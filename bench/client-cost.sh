#!/usr/bin/env bash
# Usage: bench/client-cost.sh URL [ROUNDS]
#
# What a request costs wrk itself (its user + system CPU per answered request), for the
# suite's three kinds of run against one server at URL (e.g. an nginx `return 200`, which
# answers GETs and POSTs alike): the plain GET (plain.lua: no Lua call per request), the
# decisions' rotating POSTs (decisions.lua: one Lua call per request, the ten requests
# formatted once in init) and one fixed POST (static-post.lua: no Lua call). wrk runs on the
# same cores as the server, so a costlier client lowers every server's figure; ROUNDS (5)
# alternating runs of 3 s, wrk -t2 -c32 as bench/run.sh runs it, medians last.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 URL [ROUNDS]" >&2; exit 2; }
bench="$(cd "$(dirname "$0")" && pwd)"
url="${1%/}"
rounds="${2:-5}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for round in $(seq "$rounds"); do
    for script in plain decisions static-post; do
        target="$url/"
        [ "$script" = plain ] && target="$url/v1/networks/1/runner"
        line="$( { /usr/bin/time -f "TIME %U %S" env BENCH_LUA="$bench/lua" BENCH_NETWORK=1 BENCH_LABEL="$script" \
            wrk -t2 -c32 -d3s -s "$bench/lua/$script.lua" "$target"; } 2>&1)"
        requests="$(grep '^RESULT' <<<"$line" | sed -E 's/.* requests=([0-9]+).*/\1/')"
        read -r _ user system < <(grep '^TIME' <<<"$line")
        python3 -c "print('$script', round(($user + $system) * 1e9 / $requests), $requests)" | tee -a "$out"
    done
    echo "round $round/$rounds" >&2
done
python3 - "$out" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for script in ("plain", "decisions", "static-post"):
    ns = [int(r[1]) for r in rows if r[0] == script]
    print(f"{script:12} wrk CPU per request: median {statistics.median(ns)} ns (range {min(ns)}-{max(ns)}, {len(ns)} runs)")
PY
