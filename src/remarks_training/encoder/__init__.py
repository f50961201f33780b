"""Fine-tune all-MiniLM-L6-v2 as one multi-task encoder for the checks, export it to int8 ONNX.

    python -m remarks_training.encoder train --datasets DIR --work-dir DIR --steps N
    python -m remarks_training.encoder export --work-dir DIR     # int8 ONNX + meta into ml/artifacts
    python -m remarks_training.encoder stack --datasets DIR      # per-rule stackers on the validation split
    python -m remarks_training.encoder evaluate --datasets DIR --record   # before/after on the test splits

torch (and safetensors) come with the ``[train]`` extra; run time uses :mod:`remarks.ml.encoder`.
"""
