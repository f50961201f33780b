"""Regenerate cases_train.jsonl and cases_heldout.jsonl from the templates:
``python -m remarks_training.attack_suite``."""

from remarks_training.attack_suite import counts, write

for path in write():
    print(path)
for name, n in counts().items():
    print(f"{name:24s} train {n['train']:4d}  heldout {n['heldout']:4d}")
