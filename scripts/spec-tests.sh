#!/usr/bin/env bash
# Every check of the spec and container files, for `make test` and CI:
#   1. openapi.yaml is valid OpenAPI and its examples match its schemas;
#   2. docker/Dockerfile passes hadolint;
#   3. schemathesis against a live server (scripts/with-server.sh; needs .build/debug/policyd
#      or POLICYD_BIN), without tokens;
#   4. schemathesis in fuzzing mode (schema-violating data, bounded examples per operation)
#      against a live server started with a tokens file, sending the admin token.
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
step "schemathesis against a live server" "$root/scripts/with-server.sh" "$root/scripts/schemathesis.sh"

fuzz_tokens="$(mktemp "${TMPDIR:-/tmp}/policyd-tokens.XXXXXX")"
trap 'rm -f "$fuzz_tokens"' EXIT
fuzz_token="fuzz-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
printf 'admin %s\n' "$fuzz_token" >"$fuzz_tokens"
step "schemathesis fuzzing (negative data) against a server with tokens" \
    env POLICYD_TOKENS_FILE="$fuzz_tokens" SCHEMATHESIS_TOKEN="$fuzz_token" SCHEMATHESIS_MODE=fuzz \
    SCHEMATHESIS_REPORT_DIR="$root/.build-spec/schemathesis-fuzz" \
    "$root/scripts/with-server.sh" "$root/scripts/schemathesis.sh"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
