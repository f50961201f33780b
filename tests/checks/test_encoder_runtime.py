"""The shipped encoder at run time (switched on for these tests with REMARKS_ENCODER_CHECKS=1): it loads and scores with onnxruntime alone (torch never imported),
and the abuse, attack and promotion checks of one batch share one encoder pass per comment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from remarks.ml import encoder

pytestmark = pytest.mark.skipif(not encoder.available(), reason="ml/artifacts/encoder.onnx is not built yet")

SCRIPT = """
import sys
from remarks.ml import encoder
enc = encoder.load()
out = enc.predict(["you are a pathetic idiot", "thanks, a fair point about the budget"])
pairs = enc.predict_pairs(["Council cuts night buses. The mayor said the city cannot pay."] * 2,
                          ["night workers will be stranded", "my cat had kittens"])
assert out[0].probs["abuse"] > out[1].probs["abuse"], out
assert out[0].embedding.shape == (384,)
assert all(0.0 <= p.probs["offtopic"] <= 1.0 for p in pairs)
from remarks.checks.abuse import AbuseCheck
from remarks.checks.base import CommentContext
from remarks.checks.offtopic import OfftopicCheck
assert AbuseCheck().score(CommentContext(text="you are a pathetic idiot")).score > 0.5
art = dict(article_title="Council cuts night buses", article_body="The mayor said the city cannot pay for buses after midnight.")
on, off = OfftopicCheck().score_batch([CommentContext(text="night workers will be stranded without buses", **art),
                                       CommentContext(text="my cat had kittens yesterday", **art)])
assert off.score > on.score, (on, off)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "remarks_training", "safetensors"))
print("IMPORTED", bad)
"""


def test_encoder_scores_without_torch() -> None:
    env = {**os.environ, "REMARKS_ENCODER_CHECKS": "1"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "IMPORTED []" in proc.stdout, proc.stdout


def test_one_encoder_pass_serves_every_check_that_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from remarks.checks.abuse import AbuseCheck
    from remarks.checks.attack import AttackCheck
    from remarks.checks.base import CommentContext
    from remarks.checks.promotion import PromotionCheck

    monkeypatch.setenv("REMARKS_ENCODER_CHECKS", "1")
    enc = encoder.load()
    texts = [f"comment number {i} about the council's bus plan, you clown" for i in range(5)]
    ctxs = [CommentContext(text=t) for t in texts]
    before = enc.encoded
    checks = [c for c in (AbuseCheck(), AttackCheck(), PromotionCheck())
              if c.rule in encoder.meta()["stack"]]  # a rule the encoder did not beat keeps its old model
    assert {c.rule for c in checks} >= {"abuse", "attack"}
    results = [c.score_batch(ctxs) for c in checks]
    assert enc.encoded - before == len(texts)
    assert all(0.0 <= r.score <= 1.0 for rs in results for r in rs)
    assert all(r.model_version.startswith(("encoder-", "promotion-3-encoder-")) for rs in results for r in rs)


def test_meta_file_matches_the_model() -> None:
    import hashlib

    meta = encoder.meta()
    data = (encoder.ARTIFACTS / encoder.MODEL_FILE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert meta["heads"] == list(encoder.HEADS)
    # A rule has a stacker exactly when the encoder beat the previous model on validation.
    report = meta["scores"]["validation"]
    assert {r for r in ("abuse", "attack", "promotion", "offtopic") if report[r]["uses_encoder"]} == set(meta["stack"])
    assert "c3" not in meta["data"]["sources"] and "ethos" not in meta["data"]["sources"]


def test_windows_cover_a_long_comment_to_its_end() -> None:
    ids = list(range(1000))
    ws = encoder.windows(ids)
    assert len(ws) == encoder.MAX_WINDOWS and ws[0][0] == 0 and ws[-1][-1] == 999
    assert all(len(w) == encoder.MAX_TEXT - 2 for w in ws)
    assert encoder.windows(list(range(63)))[-1][-1] == 62  # one token past a window: a second window
    assert encoder.windows(list(range(10))) == [list(range(10))]


def test_abuse_at_the_end_of_a_long_comment_is_read() -> None:
    enc = encoder.Encoder(cache_size=0)
    calm = ("The council met on Tuesday to discuss the budget for the new bus routes, the library hours, "
            "the repairs to the bridge on Mill Street and the plans for the summer festival in the park. ") * 3
    insult = "You are a pathetic, stupid idiot and everyone here despises you."
    long_one, alone, head = enc.raw([calm + insult, insult, calm])[0]
    i = enc.heads.index("abuse")
    assert long_one[i] >= alone[i] - 0.05  # the insult's window is read (max over the windows)
    assert long_one[i] > head[i] + 0.2  # the first window alone is calm


def test_a_comment_scores_the_same_alone_and_in_a_batch() -> None:
    # The int8 model quantises activations per call: run in one batch, a comment's scores moved with
    # its neighbours, and the site (one comment) and the archive (batches) disagreed.
    enc = encoder.Encoder(cache_size=0)
    texts = ["you absolute clown", "The council should publish the full budget before the vote. " * 4,
             "ok", "Buy cheap watches at my shop, message me now!!!"]
    together, _ = enc.raw(texts)
    for i, t in enumerate(texts):
        alone, _ = enc.raw([t])
        assert abs(alone[0] - together[i]).max() < 1e-6, t
