#!/usr/bin/env bash
# Installs everything placewise needs on a fresh machine: the app's virtualenv, the DfE validators'
# own virtualenv (they pin pandas<2), Debian's Chromium for browser tests, and the front-end
# packages from npm, compiled into build/static. Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
step() { printf '\n==> %s\n' "$*"; }

step "Python environment (.venv)"
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

step "DfE validators in their own environment (.venv-dfe)"
# csc-validator-be-903 and -cin pin pandas<2 and numpy<1.25, which the app does not want;
# they run as a subprocess and exchange JSON (see docs/adr/0003-dfe-validators-subprocess.md).
if [ ! -x .venv-dfe/bin/python ]; then "$PY" -m venv .venv-dfe; fi
if ! .venv-dfe/bin/python -c "import lac_validator, cin_validator, defusedxml" 2>/dev/null; then
  .venv-dfe/bin/python -m pip install -q --upgrade pip
  .venv-dfe/bin/python -m pip install -q "csc-validator-be-903==0.1.17" "csc-validator-be-cin==0.1.13" \
    "numpy<1.25" "pandas==1.5.3" "defusedxml==0.7.1"
fi

step "Chromium for browser tests (Debian package)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation
  else
    echo "Chromium is missing and this user cannot install it: run 'sudo apt-get install chromium'" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

step "Java for the Spark linkage backend (Debian package)"
# pyspark 4 needs Java 17 or later; Debian 12 ships 17 as default-jre-headless.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless
  else
    echo "Java is missing and this user cannot install it: run 'sudo apt-get install default-jre-headless'" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

step "Front-end packages (npm) and styles"
if [ ! -d node_modules/govuk-frontend ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p build/static/govuk
./node_modules/.bin/sass --no-source-map --load-path=node_modules --style=compressed \
  --quiet-deps --silence-deprecation=import src/placewise/web/scss/placewise.scss build/static/placewise.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/govuk/
rm -rf build/static/govuk/images
cp -r node_modules/govuk-frontend/dist/govuk/assets/images build/static/govuk/images
mkdir -p build/static/cytoscape
cp node_modules/cytoscape/dist/cytoscape.min.js build/static/cytoscape/

step "Setup complete"
