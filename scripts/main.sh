#!/usr/bin/env bash
# Set up (idempotent) and run the main job on the bundled AI-compute dataset. This is the README's main command.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/junkan warmup  # compile the numba kernels into their cache once (a no-op load when already compiled)
.venv/bin/junkan report --data ai-compute -o report.html
