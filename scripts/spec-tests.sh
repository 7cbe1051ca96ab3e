#!/usr/bin/env bash
# Every check of the spec and container files, for `make test` and CI:
#   1. openapi.yaml is valid OpenAPI and its examples match its schemas;
#   2. docker/Dockerfile and docker/etcd.Containerfile pass hadolint;
#   3. openapi.yaml's patterns and constraints against a live server, edge case by edge case
#      (Tests/spec/check_against_server.py);
#   4. schemathesis with every check but positive_data_acceptance, all phases, against a live
#      server (scripts/with-server.sh; needs .build/debug/policyd or POLICYD_BIN);
#   5. schemathesis in fuzzing mode (schema-violating data, bounded examples per operation).
# Every server is started with a tokens file and sent its admin token: openapi.yaml requires
# bearer tokens on /v1 (the server without tokens is the unit and end-to-end tests' business).
# Runs them all, then prints "N passed, N failed" and exits non-zero when any failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/venv.sh" || exit 1
passed=0
failed=0
step() {
    local name="$1"
    shift
    echo "=== $name" >&2
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "=== $name: FAILED" >&2
    fi
}
step "openapi.yaml" "$root/scripts/spec-check.sh"
step "hadolint docker/Dockerfile" "$root/scripts/hadolint.sh"
step "hadolint docker/etcd.Containerfile" "$root/scripts/hadolint.sh" "$root/docker/etcd.Containerfile"

tokens="$(mktemp "${TMPDIR:-/tmp}/policyd-tokens.XXXXXX")"
trap 'rm -f "$tokens"' EXIT
token="spec-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
printf 'admin %s\n' "$token" >"$tokens"
export POLICYD_TOKENS_FILE="$tokens" SCHEMATHESIS_TOKEN="$token"
# shellcheck disable=SC2016 # $BASE_URL is with-server.sh's, expanded in the inner shell
step "openapi.yaml constraints against a live server" "$root/scripts/with-server.sh" \
    bash -c '"$0/.venv/bin/python" "$0/Tests/spec/check_against_server.py" "$BASE_URL" "$0/openapi.yaml"' "$root"
step "schemathesis (every check but positive_data_acceptance) against a server with tokens" \
    "$root/scripts/with-server.sh" "$root/scripts/schemathesis.sh"
step "schemathesis fuzzing (negative data) against a server with tokens" \
    env SCHEMATHESIS_MODE=fuzz SCHEMATHESIS_REPORT_DIR="$root/.build-spec/schemathesis-fuzz" \
    "$root/scripts/with-server.sh" "$root/scripts/schemathesis.sh"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
