"""Training, dataset readers, evaluation and reports for the models that :mod:`remarks.ml` runs.

Installed with the ``[train]`` extra (``pip install 'remarks[train]'``). Nothing in :mod:`remarks`
imports this package at run time; the ``remarks train`` and ``remarks eval`` commands import it
inside the command. Data comes from a folder given with ``--datasets DIR`` (default
``../shared/datasets`` relative to the current directory, or ``$REMARKS_DATASETS``).
"""

from __future__ import annotations

# Modules of the [train] extra each command needs beyond the run-time dependencies (add a trainer's
# own, e.g. torch, here).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "train": (),
    "eval": ("profanity_check",),
}


def missing_extra(command: str) -> list[str]:
    """The [train] extra's modules that ``command`` needs and cannot import (empty when installed)."""
    import importlib

    missing = []
    for name in EXTRA_MODULES.get(command, ()):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing
