"""Can the fine-tuned encoder's vector serve relevance too? Validation data only.

For a training run's weights (``--work-dir``: final or last checkpoint) or the shipped ``encoder.onnx``
(no ``--work-dir``), beside the pre-trained all-MiniLM-L6-v2 (float32, torch):

- the heads' AUC on the encoder's validation rows (single comments), overall and by source;
- the mean cosine between the encoder's vector and MiniLM's for the same comments;
- the discussion contrast on the two Fox News stories the relevance model is never fitted on
  (``relevance.FOX_VALID``): how much closer a comment is to the latest comments under the story it is
  placed under than to those under the other stories, as an AUC for "its own story" — the similarity
  the relevance check leans on most (``offtopic-6``), with each model's vectors.

The shipped encoder (no ``--distill``) keeps abuse but loses the contrast (0.68 against MiniLM's 0.86);
``--distill`` is meant to keep both. ``python -m remarks_training.encoder probe [--work-dir DIR] [--record]``;
``--record`` writes the figures into ``embedder.meta.json`` (for the run exported as the sentence vectors).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from remarks.checks.offtopic import DISCUSSION, discussion_features
from remarks.ml import embed, store
from remarks.ml.encoder import HEADS, encode

Vectors = Callable[[Sequence[str], int], tuple[np.ndarray, np.ndarray]]  # texts, max tokens -> probs, vectors


def contrast(comment: np.ndarray, own: np.ndarray | None, others: Sequence[np.ndarray]) -> float:
    """Similarity to the centroid of the discussion the comment is placed under minus the highest
    similarity to another discussion's centroid, each as the check computes it
    (:func:`remarks.checks.offtopic.discussion_features`; an empty discussion counts 0)."""
    near = discussion_features(comment, own)[2]
    far = max((discussion_features(comment, o)[2] for o in others if len(o)), default=0.0)
    return near - far


def _onnx() -> Vectors:
    from remarks.ml.encoder import ARTIFACTS, Encoder

    enc = Encoder(ARTIFACTS / "encoder.onnx", threads=2)

    def run(texts: Sequence[str], max_text: int) -> tuple[np.ndarray, np.ndarray]:
        parts = [enc.run(encode(texts[i:i + 64], max_text=max_text)) for i in range(0, len(texts), 64)]
        return np.vstack([p for p, _ in parts]), np.vstack([e for _, e in parts])
    return run


def _torch(model) -> Vectors:  # a MultiTask
    import torch

    model = model.eval()

    def run(texts: Sequence[str], max_text: int) -> tuple[np.ndarray, np.ndarray]:
        probs, vecs = [], []
        with torch.no_grad():
            for i in range(0, len(texts), 64):
                b = encode(texts[i:i + 64], max_text=max_text)
                logits, pooled = model(torch.from_numpy(b.input_ids), torch.from_numpy(b.attention_mask),
                                       torch.from_numpy(b.token_type_ids))
                probs.append(torch.sigmoid(logits).numpy())
                vecs.append(pooled.numpy())
        return np.vstack(probs), np.vstack(vecs)
    return run


def heads(run: Vectors, items: list) -> dict:
    probs, _ = run([it.text for it in items], 64)
    out = {}
    for head in ("abuse", "attack", "promotion"):
        rows = [(i, it.labels[head], it.source) for i, it in enumerate(items) if head in it.labels]
        p = probs[[i for i, _, _ in rows], HEADS.index(head)]
        by = defaultdict(list)
        for (_, y, source), s in zip(rows, p, strict=True):
            by[source].append((y, s))
        out[head] = round(float(roc_auc_score([y for _, y, _ in rows], p)), 4)
        out[f"{head}_by_source"] = {k: round(float(roc_auc_score(*zip(*v))), 4)
                                    for k, v in sorted(by.items()) if len({y for y, _ in v}) == 2}
    return out


def discussion_contrast(run: Vectors, pairs: list) -> float:
    texts = sorted({t for p in pairs for t in p.discussion[-DISCUSSION:]}
                   | {t for p in pairs for _, d in p.other_discussions for t in d[-DISCUSSION:]})
    at = {t: i for i, t in enumerate(texts)}
    _, said = run(texts, 64)
    _, comments = run([p.comment for p in pairs], 64)

    def rows(d: Sequence[str]) -> np.ndarray:
        return said[[at[t] for t in d[-DISCUSSION:]]]

    scores = [contrast(comments[k], rows(p.discussion), [rows(d) for _, d in p.other_discussions])
              for k, p in enumerate(pairs)]
    return round(float(roc_auc_score([p.label for p in pairs], scores)), 4)


def probe(datasets: Path, work_dir: Path | None = None, *, record: bool = False, log=print) -> dict:
    from remarks_training import relevance
    from remarks_training.encoder import data
    from remarks_training.encoder.model import pretrained
    from remarks_training.encoder.train import data_hash, load_trained

    built = data.build(datasets)
    path = store.DIR / store.meta_name(embed.MODEL_FILE)
    meta = json.loads(path.read_text()) if record else {}
    info = json.loads((work_dir / "train_info.json").read_text()) if record and work_dir else {}
    # Recorded only for the run the shipped file was exported from, on the data it was trained on (else the
    # validation rows here could be rows it trained on).
    if record and not (info.get("steps") == meta["training"].get("steps")
                       and info.get("data_hash") == meta["training"].get("data_hash") == data_hash(built)):
        raise SystemExit(f"--record: {work_dir} is not the run {embed.MODEL_FILE} was exported from, or the "
                         "training data has changed since; nothing written")
    items = [it for it in built if it.split == "valid" and it.context is None]
    pairs = relevance.fox_pairs("valid", datasets)
    run = _torch(load_trained(work_dir)) if work_dir else _onnx()
    minilm = _torch(pretrained())
    out = {"weights": work_dir.name if work_dir else "encoder.onnx", **heads(run, items)}
    sample = [it.text for it in items[:2000]]
    out["cosine_to_minilm"] = round(float((run(sample, 64)[1] * minilm(sample, 64)[1]).sum(1).mean()), 4)
    out["fox_valid_discussion_contrast"] = discussion_contrast(run, pairs)
    out["fox_valid_discussion_contrast_minilm"] = discussion_contrast(minilm, pairs)
    log(json.dumps(out))
    if record:
        meta.setdefault("scores", {})["probe"] = out
        path.write_text(json.dumps(meta, indent=2) + "\n")
    return out
