#!/usr/bin/env bash
# Rolling restarts of two policyd replicas behind a real HAProxy, under load: zero failed requests.
#
# For each scenario: two replicas on free loopback ports (own data directories, network 1's
# policy stored in each), HAProxy in front (scripts/lb/haproxy.cfg.in: health check on /readyz
# every 500 ms, fall 2, rise 2, retries 0), wrk posting decisions through it with
# $LB_CONNECTIONS connections. Each replica in turn gets SIGTERM, must exit 0, is started
# again and waited for until HAProxy has it back (UP). A scenario passes when wrk saw no
# non-2xx answer and no socket error, and every other request it made was answered 2xx.
#
#   1. GET /readyz checks, the server's defaults
#   2. HEAD /readyz checks, SIGHUP reloads of the live replicas and policy PUTs through
#      HAProxy all through the restart
#
# Prints "N passed, N failed"; exits non-zero when any failed. Needs haproxy, wrk, curl and
# python3 (`make deps`). Starts every process itself and stops them (by pid) on exit.
#
# POLICYD_BIN      the server (default .build/debug/policyd)
# LB_SERVER_ARGS   extra `serve` arguments for the replicas (e.g. "--max-connections-per-ip 64")
# LB_CONNECTIONS   wrk's connections (default 128)
# LB_KEEP=1        keep the work directory (logs, haproxy.cfg) and print its path
# LB_RESTART=0     no restarts: 10 s of load only (to measure the limits alone)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${POLICYD_BIN:-$root/.build/debug/policyd}"
read -r -a server_args <<<"${LB_SERVER_ARGS:-}"
connections="${LB_CONNECTIONS:-128}"
for tool in haproxy wrk curl python3; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
        echo "lb-test.sh: $tool is required (make deps installs it)" >&2
        exit 2
    }
done
haproxy="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$bin" ] || { echo "lb-test.sh: no server at $bin (swift build first, or set POLICYD_BIN)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/policyd-lb.XXXXXX")"
declare -A pid port
started=()

# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
    for p in "${started[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ "${LB_KEEP:-0}" = 1 ]; then echo "lb-test.sh: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "lb-test: $*" >&2; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (up to $2 s) for process $1 to end; its exit status, or 124 after a SIGKILL.
wait_exit() {
    local p="$1" limit=$(($2 * 10)) n=0 status=0
    while kill -0 "$p" 2>/dev/null && [ "$n" -lt "$limit" ]; do sleep 0.1; n=$((n + 1)); done
    if kill -0 "$p" 2>/dev/null; then
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
        return 124
    fi
    wait "$p" 2>/dev/null || status=$?
    return "$status"
}

# Starts replica $1 on its port and waits for GET /readyz 200; then marks it live for the churn.
start_replica() {
    local name="$1"
    "$bin" serve --host 127.0.0.1 --port "${port[$name]}" --data-dir "$work/$name" "${server_args[@]}" \
        >/dev/null 2>>"$work/$name.log" &
    pid[$name]=$!
    started+=("${pid[$name]}")
    local n=0
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$name]}/readyz")" = 200 ]; do
        kill -0 "${pid[$name]}" 2>/dev/null || { log "replica $name exited at start"; tail -5 "$work/$name.log" >&2; return 1; }
        [ "$n" -lt 600 ] || { log "replica $name not ready within 60 s"; return 1; }
        sleep 0.1
        n=$((n + 1))
    done
    echo "${pid[$name]}" >"$work/$name.live"
}

# SIGTERM to replica $1; it must exit 0 (within the shutdown delay and the drain).
stop_replica() {
    local name="$1" status=0
    kill -TERM "${pid[$name]}"
    wait_exit "${pid[$name]}" 60 || status=$?
    rm -f "$work/$name.live"
    [ "$status" = 0 ] || { log "replica $name exited with status $status after SIGTERM"; return 1; }
}

# HAProxy's state of server $1 ("UP", "DOWN", "UP 1/2"...), from its CSV statistics.
haproxy_state() {
    curl -s "http://127.0.0.1:$stats_port/stats;csv" | awk -F, -v s="$1" '$1 == "policyd" && $2 == s { print $18 }'
}

wait_haproxy_up() {
    local n=0
    until [ "$(haproxy_state "$1")" = UP ]; do
        [ "$n" -lt 300 ] || { log "HAProxy did not see replica $1 UP within 30 s (state: $(haproxy_state "$1"))"; return 1; }
        sleep 0.1
        n=$((n + 1))
    done
}

put_policy() {
    curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
        --data-binary "@$2" "$1/v1/networks/1/policy"
}

cat >"$work/allow.json" <<'JSON'
{"version": 1, "default_verdict": "deny", "rules": [
  {"name": "ops-ssh", "on": "connect", "match": "port == 22 && has_tag(peer_tags, 'ops')", "actions": [{"type": "allow"}]},
  {"name": "dns", "on": "dial", "match": "port == 53", "actions": [{"type": "allow"}]}]}
JSON
sed 's/"deny"/"allow"/' "$work/allow.json" >"$work/deny.json"

# While $work/churn.run exists: a policy PUT through HAProxy every 0.2 s (answers in
# churn.puts) and SIGHUP to every live replica every 0.4 s (count in churn.hups).
churn() {
    local n=0 p
    while [ -f "$work/churn.run" ]; do
        if [ $((n % 2)) = 0 ]; then doc=allow; else doc=deny; fi
        put_policy "$front" "$work/$doc.json" >>"$work/churn.puts"
        echo >>"$work/churn.puts"
        if [ $((n % 2)) = 0 ]; then
            for live in "$work"/*.live; do
                [ -f "$live" ] && p="$(cat "$live" 2>/dev/null)" && [ -n "$p" ] && kill -HUP "$p" 2>/dev/null \
                    && echo hup >>"$work/churn.hups"
            done
        fi
        n=$((n + 1))
        sleep 0.2
    done
}

# scenario NAME CHECK_METHOD CHURN(0|1)
scenario() {
    local name="$1" method="$2" with_churn="$3" ok=1 r
    [ "${LB_RESTART:-1}" = 1 ] || name="$name, LB_RESTART=0: no restart"
    log "=== $name"
    rm -rf "$work"/a "$work"/b "$work"/*.live "$work"/churn.* "$work"/*.log
    port[a]="$(free_port)"
    port[b]="$(free_port)"
    front_port="$(free_port)"
    stats_port="$(free_port)"
    front="http://127.0.0.1:$front_port"
    sed -e "s/@FRONT@/$front_port/; s/@STATS@/$stats_port/; s/@A@/${port[a]}/; s/@B@/${port[b]}/" \
        -e "s/@CHECK@/$method/" "$root/scripts/lb/haproxy.cfg.in" >"$work/haproxy.cfg"
    for r in a b; do
        start_replica "$r" || return 1
        [ "$(put_policy "http://127.0.0.1:${port[$r]}" "$work/allow.json")" = 201 ] || { log "PUT to $r failed"; return 1; }
    done
    "$haproxy" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
    local haproxy_pid=$!
    started+=("$haproxy_pid")
    if ! { wait_haproxy_up a && wait_haproxy_up b; }; then
        cat "$work/haproxy.log" >&2
        return 1
    fi

    wrk -t2 -c"$connections" -d120s --timeout 5s -s "$root/scripts/lb/decisions.lua" "$front" >"$work/wrk.out" 2>&1 &
    local wrk_pid=$!
    started+=("$wrk_pid")
    local churn_pid=""
    if [ "$with_churn" = 1 ]; then
        touch "$work/churn.run" "$work/churn.puts" "$work/churn.hups"
        churn &
        churn_pid=$!
        started+=("$churn_pid")
    fi
    sleep 1
    local began=$SECONDS
    [ "${LB_RESTART:-1}" = 1 ] || sleep 10
    for r in $([ "${LB_RESTART:-1}" = 1 ] && echo a b); do
        log "restarting replica $r (HAProxy: $(haproxy_state "$r"))"
        stop_replica "$r" || ok=0
        start_replica "$r" || { ok=0; break; }
        wait_haproxy_up "$r" || { ok=0; break; }
    done
    local took=$((SECONDS - began))
    sleep 1
    if [ -n "$churn_pid" ]; then
        rm -f "$work/churn.run"
        wait "$churn_pid" 2>/dev/null
    fi
    kill -INT "$wrk_pid" 2>/dev/null
    wait_exit "$wrk_pid" 20
    kill -TERM "$haproxy_pid" 2>/dev/null
    wait_exit "$haproxy_pid" 10
    # Both replicas at once; a second SIGTERM skips any shutdown delay.
    for r in a b; do kill -TERM "${pid[$r]}" 2>/dev/null; done
    sleep 0.2
    for r in a b; do kill -TERM "${pid[$r]}" 2>/dev/null; done
    for r in a b; do wait_exit "${pid[$r]}" 30 || { log "replica $r did not stop cleanly at the end"; ok=0; }; done

    local result
    result="$(grep '^RESULT' "$work/wrk.out" || true)"
    [ -n "$result" ] || { log "wrk printed no result:"; cat "$work/wrk.out" >&2; ok=0; }
    local requests non2xx errors
    requests="$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$result")"
    non2xx="$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' <<<"$result")"
    errors="$(sed -n 's/.* socket_errors=\([0-9]*\).*/\1/p' <<<"$result")"
    [ "${requests:-0}" -gt 0 ] && [ "${non2xx:-1}" = 0 ] && [ "${errors:-1}" = 0 ] || ok=0
    local summary="restart took ${took}s; wrk: ${result#RESULT }"
    if [ "$with_churn" = 1 ]; then
        local puts bad hups
        puts="$(grep -c . "$work/churn.puts")"
        bad="$(grep -cv '^20[01]$' "$work/churn.puts")"
        hups="$(grep -c . "$work/churn.hups")"
        summary="$summary; PUTs: $puts, $bad not 2xx ($(sort "$work/churn.puts" | uniq -c | tr -s ' \n' ' ')); SIGHUPs: $hups"
        [ "$puts" -gt 0 ] && [ "$bad" = 0 ] && [ "$hups" -gt 0 ] || ok=0
    fi
    if [ "$ok" = 1 ]; then
        echo "ok - $name: $summary"
    else
        echo "not ok - $name: $summary"
        for r in a b; do
            log "--- replica $r, last lines"
            grep -v '\[PolicyAPI\] request$' "$work/$r.log" | tail -8 >&2
        done
        return 1
    fi
}

passed=0
failed=0
run() {
    if scenario "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
run "rolling restart, GET /readyz checks, defaults" GET 0
run "rolling restart, HEAD /readyz checks, SIGHUP reloads and policy PUTs" HEAD 1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
