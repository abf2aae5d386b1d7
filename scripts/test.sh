#!/usr/bin/env bash
# Runs the suite on SQLite (every test), then on PostgreSQL (every test that touches the
# operational database; the slow ones, whose subject is the analytic store or Spark, once is
# enough: it keeps make test near its 15 minutes). Under CI nothing may skip for
# want of PostgreSQL, Chromium or Java.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLACEWISE_HOME="${PLACEWISE_HOME:-$PWD/var}"
PG_URL="${PLACEWISE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"

echo "==> test suite on SQLite"
env -u DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider --durations=15 "$@"

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
DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -p no:cacheprovider --durations=15 -m "not browser and not slow" \
  tests/integration "$@"
