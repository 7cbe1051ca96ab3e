#!/usr/bin/env bash
# Usage: scripts/with-server.sh COMMAND [ARG...]
#
# Starts `policyd serve --port 0` on a fresh data directory, learns the port from its
# "listening" log line, waits until GET /readyz answers 200, runs COMMAND with BASE_URL
# exported, then stops the server with SIGTERM. Exits with COMMAND's exit code.
#
# POLICYD_BIN  the server command (default .build/debug/policyd; may carry arguments,
#              e.g. a release build: POLICYD_BIN=.build/release/policyd)
# STARTUP_TIMEOUT, STOP_TIMEOUT  seconds (default 60, 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
read -r -a bin <<<"${POLICYD_BIN:-$root/.build/debug/policyd}"
startup_timeout="${STARTUP_TIMEOUT:-60}"
stop_timeout="${STOP_TIMEOUT:-20}"
command -v curl >/dev/null || { echo "with-server.sh: curl is required" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/policyd-test.XXXXXX")"
log="$tmp/server.log"
mkdir "$tmp/data"
pid=""

# shellcheck disable=SC2317 # reached through the EXIT trap, which shellcheck 0.9 does not follow
stop_server() {
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((stop_timeout * 10)) ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "with-server.sh: server did not stop within ${stop_timeout}s of SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    pid=""
    if [ "$status" -ne 0 ]; then
        echo "with-server.sh: warning: server exited with status $status after SIGTERM" >&2
    fi
}

fail() {
    echo "with-server.sh: $*" >&2
    echo "--- last lines of the server log ($log) ---" >&2
    tail -n 40 "$log" >&2 || true
    exit 1
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
    stop_server
    if [ "${KEEP_SERVER_LOG:-0}" = 1 ]; then
        echo "with-server.sh: server log kept at $log" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# No shutdown delay: nothing health-checks this server, so SIGTERM stops it at once.
"${bin[@]}" serve --host 127.0.0.1 --port 0 --shutdown-delay 0 --data-dir "$tmp/data" >"$tmp/server.out" 2>"$log" &
pid=$!

# The port, from the first "listening" line that names one: the first `port=N` (or
# `port: N`, `"port":N`) after "listening", else one anywhere on the line (swift-log puts
# metadata before the message), else the port of an `address=HOST:N`.
listening_port() {
    local line after p
    while IFS= read -r line; do
        after="${line#*listening}"
        for text in "$after" "$line"; do
            p="$(grep -oE '(^|[^A-Za-z0-9_])port[=:" ]*[0-9]+' <<<"$text" | head -n1 | grep -oE '[0-9]+$' || true)"
            [ -z "$p" ] || { echo "$p"; return 0; }
        done
        p="$(grep -oE 'addr(ess)?[=:" ]*[^ ]*:[0-9]+' <<<"$line" | head -n1 | grep -oE '[0-9]+$' || true)"
        [ -z "$p" ] || { echo "$p"; return 0; }
    done < <(grep -i 'listening' "$log" 2>/dev/null || true)
}
port=""
deadline=$((SECONDS + startup_timeout))
while [ -z "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; pid=""; fail "server exited before listening"; }
    [ "$SECONDS" -lt "$deadline" ] || fail "no 'listening' log line naming a port within ${startup_timeout}s"
    port="$(listening_port)"
    [ -n "$port" ] || sleep 0.1
done
BASE_URL="http://127.0.0.1:$port"
export BASE_URL

until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/readyz" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; pid=""; fail "server exited before it was ready"; }
    [ "$SECONDS" -lt "$deadline" ] || fail "GET /readyz not 200 within ${startup_timeout}s"
    sleep 0.1
done
echo "with-server.sh: server ready at $BASE_URL (pid $pid)" >&2

status=0
"$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- last lines of the server log ---" >&2
    tail -n 40 "$log" >&2 || true
fi
exit "$status"
