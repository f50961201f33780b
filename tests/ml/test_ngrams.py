"""The run-time n-gram features (ml/ngrams.py ``rows``: no SciPy, no scikit-learn) give the numbers
scikit-learn's HashingVectorizer path gives (``transform``, which training uses), and the server
loads and runs every check without importing SciPy, scikit-learn or datasketch (~100 MB a process)."""

import subprocess
import sys

import numpy as np
import pytest

from remarks.ml import promotion, toxicity

TEXTS = [
    "You are an idiot, @user!!",
    "Make $500 a day from home!!! www.easy-cash-now.biz  and   more",
    "The council should publish the flood report before the vote; residents deserve to read it.",
    "",  # no n-grams at all: a zero row
    "a",  # one short word: counted once
    "Ünïcödé wörds, 漢字 and emoji 🎉 £20 €5",
    "don't won't can't it's ?!",
    "x " * 300,  # one n-gram many times (sublinear tf)
]


def test_abuse_and_attack_features_match_scikit_learns():
    model = toxicity.load()
    prepped = [toxicity.prep(t)[1] for t in TEXTS]
    old, new = model.featurizer.transform(prepped), model.featurizer.rows(prepped)
    for i in range(len(TEXTS)):
        row = old[i]
        a, b = new.indptr[i], new.indptr[i + 1]
        assert sorted(row.indices.tolist()) == new.indices[a:b].tolist(), TEXTS[i]
        want = dict(zip(row.indices.tolist(), row.data.tolist()))
        assert np.allclose([want[c] for c in new.indices[a:b].tolist()], new.data[a:b], rtol=1e-5, atol=1e-7)
    for rule, (coef, _) in model.heads.items():
        assert np.allclose(old @ coef, new @ coef, rtol=1e-5, atol=1e-5), rule


def test_promotion_features_match_scikit_learns():
    feat, coef, intercept = promotion._model()
    prepped = [promotion.prep(t) for t in TEXTS]
    assert np.allclose(feat.transform(prepped) @ coef, feat.rows(prepped) @ coef, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("gram", ["ab", " ab ", "idiot", "漢字", "a" * 40])
def test_a_gram_lands_in_scikit_learns_column(gram):
    from sklearn.utils.murmurhash import murmurhash3_32

    from remarks.ml.ngrams import _bucket

    assert _bucket(gram, 2**18) == abs(murmurhash3_32(gram, seed=0, positive=False)) % 2**18


def test_the_server_imports_neither_scipy_nor_scikit_learn_nor_datasketch():
    code = """
import sys
import remarks.cli, remarks.web.app
from remarks.checks.base import CommentContext
from remarks.checks.registry import load_checks
from remarks.moderation.memory import DictMemory
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances, PolicyConfig
from remarks.services import memory
Pipeline(load_checks(None)).run_one(CommentContext(text="You idiot, buy now at www.cheap-pills.biz", article_title="Dam",
    article_body="The dam broke."), DictMemory(), PolicyConfig(), Circumstances())
memory.duplicates.signature("the same copy posted again and again")
print(sorted({m.split('.')[0] for m in sys.modules} & {"scipy", "sklearn", "datasketch"}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("cached_words", [8192, 3, 0])
def test_rows_counted_at_once_with_cached_words_equal_counting_each_text(cached_words):
    """``rows`` keeps each word's character columns and counts every row in one pass: the same columns,
    counts and weights, bit for bit, as counting each text's n-grams (``row_counts``), cache full or not."""
    from remarks.ml.ngrams import HashedTfidf

    model = toxicity.load()
    feat = HashedTfidf(model.featurizer.char_features, model.featurizer.word_features,
                       model.featurizer.word_pattern, idf=model.featurizer.idf, cached_words=cached_words)
    texts = [toxicity.prep(t)[1] for t in TEXTS] * 2 + ["the the the council", "   ", "council"]
    got = feat.rows(texts)
    indptr, indices, counts = [0], [], []
    for text in texts:
        row = feat.row_counts(text)
        indices += sorted(row)
        counts += [row[c] for c in sorted(row)]
        indptr.append(len(indices))
    assert got.indptr.tolist() == indptr and got.indices.tolist() == indices
    data = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * feat.idf[np.asarray(indices, dtype=np.int64)]
    norms = np.sqrt(got.row_sums(data * data))
    norms[norms == 0] = 1.0
    assert np.array_equal(got.data, data * np.repeat((1.0 / norms).astype(np.float32), np.diff(got.indptr)))
    assert len(feat._char_columns) <= cached_words
