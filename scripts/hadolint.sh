#!/usr/bin/env bash
# Lints docker/Dockerfile with the pinned hadolint from ./.venv; fails on any finding.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/venv.sh"
"$root/.venv/bin/hadolint" --failure-threshold style "${1:-$root/docker/Dockerfile}"
