"""Resumable multi-task fine-tuning: a fixed seed, a step budget, a checkpoint every N steps.

A rerun with the same --work-dir continues from the last checkpoint; the data are rebuilt the same
way (same seed) and checked against the checkpoint's data hash, so the batches continue where they
stopped. Set OMP_WAIT_POLICY=PASSIVE before torch loads (two spinning threads on a shared 2-core
machine were 3x slower than one)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch

from remarks.ml.encoder import HEADS, MAX_PAIR, MAX_TEXT, encode
from remarks_training.encoder import data
from remarks_training.encoder.model import MultiTask, pretrained

CHECKPOINT = "checkpoint.pt"
FINAL = "final.pt"


@dataclass
class Settings:
    datasets: Path
    work_dir: Path
    steps: int = 1800
    batch: int = 32
    lr: float = 5e-5
    warmup: int = 100
    seed: int = 13
    threads: int = 2
    every: int = 200
    max_text: int = MAX_TEXT
    max_pair: int = MAX_PAIR
    suite: Path | None = None
    limit: int = 0  # only this many training rows (tests)
    frozen_layers: int = 2  # the lowest transformer layers kept as pre-trained (cheaper steps)
    bf16: bool = True  # bfloat16 autocast on the CPU (~1.2x faster here)
    # Weight of the pull towards the pre-trained model's sentence vector (single texts only): 0 lets the
    # pooled vector drift to whatever the heads need, > 0 keeps it usable for similarity (relevance).
    distill: float = 0.0
    # Sources left out altogether (train and validation), for a leave-one-source-out fold: the vectors of a
    # fold must not have seen the source it is tested on (see data.leave_out).
    leave_out: tuple[str, ...] = ()


def data_hash(items: list[data.Item]) -> str:
    h = hashlib.sha256()
    for it in items:
        h.update(json.dumps([it.text, it.context, sorted(it.labels.items()), it.split]).encode())
    return h.hexdigest()


def load_items(s: Settings) -> list[data.Item]:
    items = data.leave_out(data.build(s.datasets, seed_value=s.seed, suite=s.suite), s.leave_out)
    if s.limit:
        rng = random.Random(s.seed)
        train = [it for it in items if it.split == "train"]
        rng.shuffle(train)
        items = train[: s.limit] + [it for it in items if it.split == "valid"][: s.limit]
    return items


def batches_for_epoch(train: list[data.Item], epoch: int, s: Settings) -> list[list[data.Item]]:
    """Single texts and pairs in separate batches (pairs are longer); the batch order shuffled."""
    rng = random.Random(s.seed * 1000 + epoch)
    out = []
    for kind in (False, True):
        rows = [it for it in train if (it.context is not None) == kind]
        rng.shuffle(rows)
        out += [rows[i:i + s.batch] for i in range(0, len(rows), s.batch)]
    rng.shuffle(out)
    return out


def tensors(rows: list[data.Item], s: Settings) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    pairs = rows[0].context is not None
    b = encode([r.text for r in rows], [r.context or "" for r in rows] if pairs else None,
               max_text=s.max_text, max_pair=s.max_pair)
    y = np.zeros((len(rows), len(HEADS)), dtype=np.float32)
    m = np.zeros_like(y)
    for i, r in enumerate(rows):
        for k, v in r.labels.items():
            j = HEADS.index(k)
            y[i, j], m[i, j] = v, 1.0
    x = {"input_ids": torch.from_numpy(b.input_ids), "attention_mask": torch.from_numpy(b.attention_mask),
         "token_type_ids": torch.from_numpy(b.token_type_ids)}
    return x, torch.from_numpy(y), torch.from_numpy(m)


def masked_loss(logits: torch.Tensor, y: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy over the labels each row has, each head weighted by its labelled rows."""
    per = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none") * m
    counts = m.sum(0)
    used = counts > 0
    return (per.sum(0)[used] / counts[used]).mean()


def distill_loss(pooled: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Mean cosine distance between the model's unit vectors and the pre-trained model's (0 when equal)."""
    return (1.0 - (pooled * teacher).sum(-1)).mean()


def schedule(step: int, s: Settings) -> float:
    if step < s.warmup:
        return (step + 1) / s.warmup
    return max(0.0, (s.steps - step) / max(1, s.steps - s.warmup))


def _save(obj: dict, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def train(s: Settings, log=print) -> dict:
    torch.set_num_threads(s.threads)
    torch.manual_seed(s.seed)
    s.work_dir.mkdir(parents=True, exist_ok=True)
    items = load_items(s)
    digest = data_hash(items)
    train_rows = [it for it in items if it.split == "train"]
    model = pretrained()
    # The word-embedding table is half the weights; kept frozen it costs no gradient or AdamW update.
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    if s.frozen_layers:
        for mod in (model.embeddings, *model.encoder.layer[: s.frozen_layers]):
            mod.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    teacher = pretrained().eval().requires_grad_(False) if s.distill else None
    opt = torch.optim.AdamW(params, lr=s.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: schedule(step, s))
    step, spent = 0, 0.0
    ckpt = s.work_dir / CHECKPOINT
    if ckpt.is_file():
        state = torch.load(ckpt, weights_only=False)
        if state["data_hash"] != digest:
            raise SystemExit(f"{ckpt} was trained on other data (hash differs); use another --work-dir")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step, spent = state["step"], state["seconds"]
        log(f"resumed at step {step} ({spent / 60:.1f} min already spent)")
    per_epoch = len(batches_for_epoch(train_rows, 0, s))
    log(f"{len(train_rows)} training rows, {per_epoch} batches an epoch, {s.steps} steps, data {digest[:12]}")
    model.train()
    epoch_cache: dict[int, list] = {}
    t0, seen, loss_sum = time.time(), 0, 0.0
    while step < s.steps:
        epoch, within = divmod(step, per_epoch)
        if epoch not in epoch_cache:
            epoch_cache.clear()
            epoch_cache[epoch] = batches_for_epoch(train_rows, epoch, s)
        rows = epoch_cache[epoch][within]
        x, y, m = tensors(rows, s)
        target = None  # the pre-trained model's vectors, pulled towards on single comments
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=s.bf16):
            logits, pooled = model(**x)
            if teacher is not None and rows[0].context is None:
                with torch.no_grad():
                    target = teacher(**x)[1]
        loss = masked_loss(logits.float(), y, m)
        if target is not None:
            loss = loss + s.distill * distill_loss(pooled.float(), target.float())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        step += 1
        seen += len(rows)
        loss_sum += float(loss.detach())
        if step % 20 == 0 or step == s.steps:
            el = time.time() - t0
            log(f"step {step}/{s.steps} epoch {epoch} loss {loss_sum / 20:.4f} {seen / el:.1f} ex/s "
                f"lr {sched.get_last_lr()[0]:.2e} {(spent + el) / 60:.1f} min")
            loss_sum = 0.0
            sys.stdout.flush()
        if step % s.every == 0 or step == s.steps:
            _save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                   "torch_rng": torch.get_rng_state(), "step": step, "seconds": spent + time.time() - t0,
                   "data_hash": digest}, ckpt)
            log(f"checkpoint at step {step}")
    seconds = spent + time.time() - t0
    info = {"steps": step, "seconds": round(seconds, 1), "epochs": round(step / per_epoch, 3),
            "data_hash": digest, "settings": {k: str(v) for k, v in vars(s).items()},
            "data": data.summary(items), "torch": torch.__version__}
    _save({"model": model.state_dict(), "heads": list(HEADS), "info": info}, s.work_dir / FINAL)
    (s.work_dir / "train_info.json").write_text(json.dumps(info, indent=2))
    log(f"done: {step} steps in {seconds / 60:.1f} min")
    return info


def load_trained(work_dir: Path) -> MultiTask:
    """The model of --work-dir: the final weights, or the last checkpoint when stopped early."""
    path = work_dir / FINAL if (work_dir / FINAL).is_file() else work_dir / CHECKPOINT
    state = torch.load(path, weights_only=False)
    model = pretrained()
    model.load_state_dict(state["model"])
    return model.eval()
