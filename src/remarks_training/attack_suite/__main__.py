"""Regenerate cases.jsonl from the templates: ``python -m remarks_training.attack_suite``."""

from remarks_training.attack_suite import counts, write

print(write())
for name, n in counts().items():
    print(f"{name:24s} train {n['train']:4d}  heldout {n['heldout']:4d}")
