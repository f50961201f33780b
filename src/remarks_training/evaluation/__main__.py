"""``python -m remarks_training.evaluation DATASETS [--label before|after] [--out DIR] [--limit N]
[--no-calibration] [--no-speed] [--loso] [--cache DIR]`` — the same as ``remarks eval --only targets``."""

import sys
from pathlib import Path

from remarks_training.evaluation import loso, targets

args = sys.argv[1:]


def opt(name: str, default: str | None = None) -> str | None:
    return args[args.index(name) + 1] if name in args else default


root = Path(args[0])
out = Path(opt("--out", "bench/reports"))
if "--loso" in args:
    loso.save(loso.run(root, limit=int(opt("--limit", "0")) or None), out)
else:
    res = targets.run(root, write_calibration="--no-calibration" not in args, measure_speed="--no-speed" not in args,
                      limit=int(opt("--limit", "0")) or None, test_limit=int(opt("--test-limit", "0")) or None, validation=opt("--validation", "auto"),
                      cache=Path(opt("--cache")) if opt("--cache") else None)
    targets.save(res, opt("--label", "after"), out)
print(targets.write_report(out))
