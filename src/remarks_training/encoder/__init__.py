"""Fine-tune all-MiniLM-L6-v2 as one multi-task encoder for the checks, export it to int8 ONNX.

    python -m remarks_training.encoder train --datasets DIR --work-dir DIR --steps N
    python -m remarks_training.encoder export --work-dir DIR
    python -m remarks_training.encoder evaluate --datasets DIR

torch (and safetensors) come with the ``[train]`` extra; run time uses :mod:`remarks.ml.encoder`.
"""
