"""Command line: ``python -m remarks_training.encoder {train,export,stack,evaluate,probe} ...``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_DATASETS = os.environ.get("REMARKS_DATASETS", "../shared/datasets")
# Checkpoints are large (~260 MB): outside the checkout, in the system temporary folder by default.
DEFAULT_WORK = str(Path(tempfile.gettempdir()) / "remarks-encoder")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m remarks_training.encoder")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="fine-tune (resumes from --work-dir)")
    t.add_argument("--datasets", type=Path, default=Path(DEFAULT_DATASETS))
    t.add_argument("--work-dir", type=Path, default=Path(DEFAULT_WORK))
    t.add_argument("--steps", type=int, default=1800)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--every", type=int, default=200, help="checkpoint every N steps")
    t.add_argument("--frozen-layers", type=int, default=2, help="lowest layers kept as pre-trained")
    t.add_argument("--no-bf16", action="store_true", help="train in float32")
    t.add_argument("--distill", type=float, default=0.0,
                   help="weight keeping the sentence vector near the pre-trained model's (for relevance)")
    t.add_argument("--suite", type=Path, default=None, help="another attack-suite cases file, like cases_train.jsonl (its train rows)")
    t.add_argument("--leave-out", action="append", default=[], metavar="SOURCE",
                   help="leave this source out altogether (a leave-one-source-out fold); repeatable")
    e = sub.add_parser("export", help="ONNX + int8 + meta into the package artifacts")
    e.add_argument("--datasets", type=Path, default=Path(DEFAULT_DATASETS))
    e.add_argument("--work-dir", type=Path, default=Path(DEFAULT_WORK))
    e.add_argument("--out", type=Path, default=None)
    k = sub.add_parser("stack", help="fit the per-rule stackers on the validation split, into encoder.meta.json")
    k.add_argument("--datasets", type=Path, default=Path(DEFAULT_DATASETS))
    k.add_argument("--work-dir", type=Path, default=Path(DEFAULT_WORK))
    v = sub.add_parser("evaluate", help="validation and test figures of the exported model")
    v.add_argument("--datasets", type=Path, default=Path(DEFAULT_DATASETS))
    v.add_argument("--work-dir", type=Path, default=Path(DEFAULT_WORK))
    v.add_argument("--record", action="store_true", help="write the figures into encoder.meta.json")
    r = sub.add_parser("probe", help="validation: the heads, and whether the vector still serves relevance")
    r.add_argument("--datasets", type=Path, default=Path(DEFAULT_DATASETS))
    r.add_argument("--work-dir", type=Path, default=None, help="a training run's weights (default: encoder.onnx)")
    r.add_argument("--record", action="store_true", help="write the figures into embedder.meta.json")
    args = p.parse_args(argv)
    command = "python -m remarks_training.encoder " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.cmd == "train":
        from remarks_training.encoder import data
        from remarks_training.encoder.train import Settings, train

        if args.leave_out:  # a misspelt source is refused before any work
            try:
                data.leave_out(data.build(args.datasets), args.leave_out)
            except ValueError as e:
                p.error(f"--leave-out: {e}")
        args.work_dir.mkdir(parents=True, exist_ok=True)
        (args.work_dir / "train_command.txt").write_text(command + "\n")
        train(Settings(args.datasets, args.work_dir, steps=args.steps, batch=args.batch, lr=args.lr,
                       seed=args.seed, threads=args.threads, every=args.every, suite=args.suite, frozen_layers=args.frozen_layers, bf16=not args.no_bf16,
                       distill=args.distill, leave_out=tuple(args.leave_out)))
    elif args.cmd == "export":
        from remarks_training.encoder.export import export

        export(args.work_dir, args.datasets, out=args.out)
    elif args.cmd == "stack":
        from remarks_training.encoder.stack import run

        run(args.datasets, args.work_dir)
    elif args.cmd == "probe":
        from remarks_training.encoder.probe import probe

        probe(args.datasets, args.work_dir, record=args.record)
    else:
        from remarks_training.encoder.evaluate import evaluate

        evaluate(args.datasets, args.work_dir, record=args.record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
