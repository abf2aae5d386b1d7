#!/usr/bin/env bash
# Runs the suite on SQLite (every test), then on PostgreSQL (every test that touches the
# operational database: not the browser tests, and of the slow ones only those marked
# `postgres` — the others' subject is the analytic store or Spark, which do not change with the
# database). Both runs spread the tests over one pytest-xdist worker per core (two on CI), each
# with its own test database and temporary folders, so make test keeps within its 15 minutes.
# Under CI nothing may skip for want of PostgreSQL, Chromium or Java.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLACEWISE_HOME="${PLACEWISE_HOME:-$PWD/var}"
PG_URL="${PLACEWISE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
WORKERS="${PLACEWISE_TEST_WORKERS:-$(nproc)}"
[ "$WORKERS" -gt 4 ] && WORKERS=4
PYTEST=(.venv/bin/python -m pytest -p no:cacheprovider --durations=15 -n "$WORKERS" --dist worksteal)

started=$SECONDS
echo "==> test suite on SQLite ($WORKERS workers)"
env -u DATABASE_URL "${PYTEST[@]}" "$@"
echo "    (SQLite run: $((SECONDS - started)) s)"

echo "==> database tests on PostgreSQL ($PG_URL)"
if ! .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=5).close()
PY
then
  echo "PostgreSQL is not reachable at $PG_URL" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  echo "(not CI: skipping the PostgreSQL run)" >&2
  exit 0
fi
started=$SECONDS
DATABASE_URL="$PG_URL" "${PYTEST[@]}" -m "not browser and (not slow or postgres)" \
  tests/integration "$@"
echo "    (PostgreSQL run: $((SECONDS - started)) s)"
