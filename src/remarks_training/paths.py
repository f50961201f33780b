"""Where the training data is: ``--datasets DIR``, else ``$REMARKS_DATASETS``, else
``../shared/datasets`` relative to the current directory (the layout of a checkout next to the
shared data folder)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATASETS = Path("..") / "shared" / "datasets"
HELP = "The datasets folder (default: $REMARKS_DATASETS, else ../shared/datasets from the current directory)."


def datasets_dir(given: str | Path | None = None) -> Path:
    if given:
        return Path(given)
    if os.environ.get("REMARKS_DATASETS"):
        return Path(os.environ["REMARKS_DATASETS"])
    return DEFAULT_DATASETS
