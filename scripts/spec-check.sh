#!/usr/bin/env bash
# Validates openapi.yaml (OpenAPI 3.1 structure) and checks its examples against their schemas.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/venv.sh"
spec="${1:-$root/openapi.yaml}"
"$root/.venv/bin/openapi-spec-validator" "$spec"
"$root/.venv/bin/python" "$root/Tests/spec/check_examples.py" "$spec"
