"""Micro-batching (moderation/batching.py): concurrent comments are scored together, a lone comment at
once, and every caller gets its own results."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from remarks.checks.base import CommentContext
from remarks.checks.wordlist import WordListAbuse
from remarks.moderation.batching import BatchingPipeline
from remarks.moderation.memory import DictMemory
from remarks.moderation.policy import Circumstances, PolicyConfig


class SlowWordList(WordListAbuse):
    """The word-list check as a model would feel: 0.2 s a call, whatever the batch size."""

    def score_batch(self, ctxs):
        time.sleep(0.2)
        return super().score_batch(ctxs)


def _run(pipeline, text: str):
    return pipeline.run_one(CommentContext(text=text, article_title="A story", article_body="The story."),
                            DictMemory(), PolicyConfig(), Circumstances())


def test_concurrent_comments_share_batches_and_a_lone_one_goes_at_once():
    pipeline = BatchingPipeline([SlowWordList()], max_batch=16)
    t0 = time.perf_counter()
    assert _run(pipeline, "A calm remark about the story.").action == "publish"
    assert time.perf_counter() - t0 < 1.0 and pipeline.batches == [1]
    texts = [f"Remark number {i} on the story." for i in range(15)] + ["You are an idiot and a moron."]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        verdicts = list(pool.map(lambda t: _run(pipeline, t), texts))
    elapsed = time.perf_counter() - t0
    assert max(pipeline.batches[1:]) > 1 and sum(pipeline.batches[1:]) == 16
    assert elapsed < 16 * 0.2  # unbatched it would take 3.2 s
    assert [v.action for v in verdicts[:15]] == ["publish"] * 15  # each caller its own verdict
    assert verdicts[15].action != "publish"


def _ctx(text: str) -> CommentContext:
    return CommentContext(text=text, article_title="A story", article_body="The story.")


def test_a_batch_waits_for_a_comment_on_its_way():
    """A post reading its context says its comment is coming: the batch waiting to be scored takes it too."""
    pipeline = BatchingPipeline([WordListAbuse()], max_batch=16, linger=30.0)
    on_its_way = pipeline.coming()
    on_its_way.__enter__()
    first = pipeline.submit([_ctx("A calm remark about the story.")])
    second = pipeline.submit([_ctx("Another calm remark.")])  # as FastPost submits: inside its own coming()
    on_its_way.__exit__(None, None, None)
    assert len(first.result(timeout=10)) == 1 and len(second.result(timeout=10)) == 1
    assert pipeline.batches == [2]


def test_a_lone_comment_is_not_kept_waiting_and_a_comment_that_never_comes_only_for_so_long():
    pipeline = BatchingPipeline([WordListAbuse()], max_batch=16, linger=30.0)
    assert len(pipeline.score([_ctx("A calm remark about the story.")])[0]) == 1  # nothing coming: at once
    with pipeline.coming():  # its own comment, submitted inside: scored once it is in, not after 30 s
        done = pipeline.submit([_ctx("A second calm remark.")])
    assert len(done.result(timeout=10)) == 1
    short = BatchingPipeline([WordListAbuse()], max_batch=16, linger=0.2)
    with short.coming():  # a post answered before scoring (a retry, a refusal) never submits
        alone = short.submit([_ctx("A third calm remark.")])
        assert len(alone.result(timeout=10)) == 1  # scored once the wait is over, without it
    assert pipeline.batches == [1, 1] and short.batches == [1]
