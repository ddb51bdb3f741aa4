#!/usr/bin/env bash
# Smoke test of the packaged ChatGuard: see packaging/smoke_test.py (standard library only, so
# the system's python3 runs it: the bundle under test must not need the project's .venv).
#   bash packaging/smoke_test.sh [dist/ChatGuard] [--budgets warn] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3 python; do command -v "$c" >/dev/null 2>&1 && { py="$c"; break; }; done
fi
exec "$py" "$here/smoke_test.py" "$@"
