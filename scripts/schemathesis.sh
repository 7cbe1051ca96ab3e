#!/usr/bin/env bash
# Usage: scripts/schemathesis.sh [BASE_URL]   (default: $BASE_URL, as with-server.sh exports it)
#
# Property-based tests of the running server against openapi.yaml with every schemathesis
# check but positive_data_acceptance: every response must have a documented status code, the
# documented content type and headers, and a body that conforms to its schema; no 5xx;
# schema-violating requests (bodies, queries, headers, path ids) must be rejected with a 4xx
# other than 412 (negative_data_rejection); plus the method, Allow, auth and stateful checks.
# Unknown network ids (404) and invalid policies (422) are documented answers, and a schema
# cannot say everything the server checks (unique rule names, expressions that compile), so
# no check demands that generated data be accepted (positive_data_acceptance).
#
# Random network ids almost never name a running network, so the server is first seeded:
# networks $SCHEMATHESIS_NETWORKS (default "1 7 65535": hypothesis' favourite boundary
# values and the spec's example id) get Tests/spec/policy-example.json and two members.
# Exits non-zero on any finding. SCHEMATHESIS_MAX_EXAMPLES and SCHEMATHESIS_SEED override.
#
# SCHEMATHESIS_MODE=fuzz runs only the fuzzing phase with schema-violating (negative) data,
# SCHEMATHESIS_MAX_EXAMPLES (default 50) per operation.
#
# SCHEMATHESIS_TOKEN (required) is an admin token of the server's --tokens-file, sent as
# `Authorization: Bearer` on every request: openapi.yaml requires bearer tokens on /v1, so the
# auth checks (ignored_auth, missing_required_header, negative_data_rejection of a request
# without the header) hold only against a server started with tokens, e.g.
#   printf 'admin %s\n' "$TOKEN" >tokens
#   POLICYD_TOKENS_FILE=tokens SCHEMATHESIS_TOKEN="$TOKEN" scripts/with-server.sh scripts/schemathesis.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base_url="${1:-${BASE_URL:-}}"
[ -n "$base_url" ] || { echo "usage: $0 BASE_URL" >&2; exit 2; }
base_url="${base_url%/}"
"$root/scripts/venv.sh"
report_dir="${SCHEMATHESIS_REPORT_DIR:-$root/.build-spec/schemathesis}"
mkdir -p "$report_dir"

[ -n "${SCHEMATHESIS_TOKEN:-}" ] || {
    echo "$0: SCHEMATHESIS_TOKEN is not set: run against a server with a tokens file (see the top of this script)" >&2
    exit 2
}
auth=(-H "Authorization: Bearer $SCHEMATHESIS_TOKEN")

put() { # put PATH FILE ALLOWED_STATUS...
    local path="$1" file="$2" code
    shift 2
    code="$(curl -sS -o "$report_dir/seed-response.json" -w '%{http_code}' -X PUT "${auth[@]}" \
        -H 'Content-Type: application/json' --data-binary "@$file" "$base_url$path")"
    for ok in "$@"; do [ "$code" = "$ok" ] && return 0; done
    echo "schemathesis.sh: seeding: PUT $path answered $code, want one of: $*" >&2
    cat "$report_dir/seed-response.json" >&2
    exit 1
}
seed() {
    for id in ${SCHEMATHESIS_NETWORKS-1 7 65535}; do
        put "/v1/networks/$id/policy" "$root/Tests/spec/policy-example.json" 200 201
        put "/v1/networks/$id/members" "$root/Tests/spec/members-example.json" 200
    done
}

examples="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
[ "${SCHEMATHESIS_MODE:-}" != fuzz ] || examples="${SCHEMATHESIS_MAX_EXAMPLES:-50}"

st() { # st ARG...: one schemathesis run with the common options
    # schemathesis keeps its crash cache in ./.schemathesis: keep it with the reports.
    (cd "$report_dir" && "$root/.venv/bin/st" run "$root/openapi.yaml" \
        --url "$base_url" "${auth[@]}" "$@" \
        --checks all --exclude-checks positive_data_acceptance \
        --max-examples "$examples" \
        --seed "${SCHEMATHESIS_SEED:-20261127}" \
        --workers 1 \
        --request-timeout 10 \
        --generation-database none \
        --report junit --report-dir "$report_dir" \
        --no-color)
}

seed
if [ "${SCHEMATHESIS_MODE:-}" = fuzz ]; then
    st --phases fuzzing --mode negative
    exit
fi
# The stateful phase follows links from running networks; the phases before it delete some
# (DELETE is fuzzed too), so it gets a freshly seeded server of its own.
status=0
st --phases examples,coverage,fuzzing || status=$?
seed
st --phases stateful || status=$?
exit "$status"
