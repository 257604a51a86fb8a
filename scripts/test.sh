#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: lint, type checks and pytest (browser and Spark tests included).
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium for the real-browser tests (Playwright's own browser download does not work offline).
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "installing chromium (apt-get) for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "warning: chromium not found and apt-get unavailable: browser tests will be skipped (reason printed by pytest)" >&2
  fi
fi
# A CJK font, so the Japanese report's screenshots show glyphs, not boxes (tests/browser check it).
if command -v fc-list >/dev/null 2>&1 && ! fc-list | grep -qi "Noto Sans CJK"; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  else
    echo "warning: no CJK font (fonts-noto-cjk): the Japanese rendering check is skipped" >&2
  fi
fi
if ! command -v java >/dev/null 2>&1; then
  echo "warning: java not found: Spark tests will be skipped (reason printed by pytest)" >&2
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,spark]'
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/mypy
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
