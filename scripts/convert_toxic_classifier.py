"""Convert the MIT-licensed ``toxic-comment-classifier==0.3.0`` (Keras BiLSTM, Jigsaw 2018 labels)
into the package's own format: ``ml/artifacts/bilstm_jigsaw.npz`` (weights) and
``bilstm_jigsaw.vocab.json`` (the 19,999 words the model uses), so no TensorFlow is needed.

    TCC=$(mktemp -d) && pip download --no-deps toxic-comment-classifier==0.3.0 -d "$TCC" && (cd "$TCC" && unzip -o *.whl)
    python scripts/convert_toxic_classifier.py "$TCC/toxic_classifier/model"

The Keras tokenizer is a pickle; it is read once, here, with an unpickler that builds no
objects but plain containers (the package's own file, never loaded at run time).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from pathlib import Path

import h5py
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src/remarks/ml/artifacts"
LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
NOTICE = """toxic-comment-classifier 0.3.0, https://github.com/irfanalidv/toxic_comment_classifier
MIT License. Copyright (c) Md Irfan Ali.
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions: The above copyright notice and this
permission notice shall be included in all copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED."""


class _Plain:
    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in {("collections", "OrderedDict"), ("collections", "defaultdict"), ("builtins", "int")}:
            return super().find_class(module, name)
        if name == "Tokenizer":
            return _Plain
        raise pickle.UnpicklingError(f"refusing {module}.{name}")


def main(model_dir: Path) -> None:
    with open(model_dir / "tokenizer.pickle", "rb") as fh:
        tok = _Unpickler(fh).load().__dict__
    num_words = tok["num_words"]
    index_word = {i: w for w, i in tok["word_index"].items() if i < num_words}
    vocab = [index_word[i] for i in range(1, num_words)]
    w = h5py.File(model_dir / "model.weights.h5", "r")["layers"]
    arrays = {
        "embedding": w["embedding/vars/0"][()],
        "fw_kernel": w["bidirectional/forward_layer/cell/vars/0"][()],
        "fw_recurrent": w["bidirectional/forward_layer/cell/vars/1"][()],
        "fw_bias": w["bidirectional/forward_layer/cell/vars/2"][()],
        "bw_kernel": w["bidirectional/backward_layer/cell/vars/0"][()],
        "bw_recurrent": w["bidirectional/backward_layer/cell/vars/1"][()],
        "bw_bias": w["bidirectional/backward_layer/cell/vars/2"][()],
        "dense_kernel": w["dense/vars/0"][()],
        "dense_bias": w["dense/vars/1"][()],
        "out_kernel": w["dense_1/vars/0"][()],
        "out_bias": w["dense_1/vars/1"][()],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "bilstm_jigsaw.npz", **{k: v.astype(np.float32) for k, v in arrays.items()})
    (OUT / "bilstm_jigsaw.vocab.json").write_text(json.dumps({
        "filters": tok["filters"], "lower": tok["lower"], "maxlen": 100, "labels": LABELS, "words": vocab,
    }))
    (OUT / "bilstm_jigsaw.LICENSE").write_text(NOTICE + "\n")
    meta = {
        "source": "toxic-comment-classifier==0.3.0 (PyPI), MIT, Copyright (c) Md Irfan Ali",
        "training_data": "Jigsaw Toxic Comment Classification Challenge 2018 (by the package author), CC0",
        "command": "python scripts/convert_toxic_classifier.py \"$TCC/toxic_classifier/model\" (TCC: the unzipped toxic-comment-classifier 0.3.0 wheel)",
        "labels": LABELS,
        "libraries": {"h5py": h5py.__version__, "numpy": np.__version__},
        "sha256": {p: hashlib.sha256((OUT / p).read_bytes()).hexdigest()
                   for p in ("bilstm_jigsaw.npz", "bilstm_jigsaw.vocab.json")},
    }
    (OUT / "bilstm_jigsaw.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print("wrote", OUT / "bilstm_jigsaw.npz", len(vocab), "words")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
