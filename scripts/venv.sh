#!/usr/bin/env bash
# Creates or refreshes ./.venv with the pinned tools of scripts/requirements.txt.
# Quick when nothing changed: a stamp holds the hash of the requirements installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-$root/.venv}"
reqs="$root/scripts/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

want="$(sha256sum "$reqs" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" || {
        echo "venv.sh: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2
        exit 1
    }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs"
echo "$want" >"$stamp"
echo "venv.sh: $venv ready" >&2
