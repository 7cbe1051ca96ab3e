# shellcheck shell=bash
# Sourced by bench/run.sh, bench/ab.sh and bench/profile.sh: temporary work directory, the
# servers they start, and the helpers each of them needs. Expects `set -euo pipefail`.
#
#   bench_init NAME     creates $work (/tmp/NAME.XXXXXX) and the EXIT trap that stops every
#                       process in $pids and removes $work
#   free_port           a free TCP port on 127.0.0.1
#   wait_for URL        up to 10 s for a 200, else exits naming URL
#   put_policy BASE NETWORK FILE   PUT FILE as NETWORK's policy, exits unless 200 or 201

pids=()

bench_init() {
    work="$(mktemp -d "/tmp/$1.XXXXXX")"
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {
    for _ in $(seq 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.1
    done
    echo "bench: $1 did not answer 200 within 10 s" >&2
    exit 1
}

put_policy() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
        --data-binary "@$3" "$1/v1/networks/$2/policy")"
    case "$code" in 200 | 201) ;; *) echo "bench: PUT policy of network $2 answered $code" >&2; exit 1 ;; esac
}
