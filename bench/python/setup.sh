#!/usr/bin/env bash
# Creates bench/python/.venv with the pinned requirements (used by `cargo bench --bench ratios`).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -c "import requests; print('requests', requests.__version__)"
