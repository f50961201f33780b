"""Leave-one-source-out with each fold's own sentence vectors: every trained-on fold must have its embedder
(else the mean would mix folds whose vectors saw their source), and a fold's file is read exactly as the
shipped one is."""

import shutil

import numpy as np
import pytest

from remarks.ml import embed, store
from remarks_training import train_toxicity
from remarks_training.evaluation import loso

from tests.remarks_training.test_training_cli import run


def test_every_trained_on_fold_needs_its_own_vectors(tmp_path):
    with pytest.raises(ValueError, match="no fold vectors at .*fox/encoder.onnx"):
        loso.fold_files(tmp_path)
    shipped = store.checked_path(embed.MODEL_FILE)
    for source in loso.TRAINED.values():
        (tmp_path / source).mkdir()
        if source != "olid":
            shutil.copy(shipped, tmp_path / source / loso.FOLD_FILE)
    with pytest.raises(ValueError, match="olid") as err:
        loso.fold_files(tmp_path)
    assert "fox" not in str(err.value)
    shutil.copy(shipped, tmp_path / "olid" / loso.FOLD_FILE)
    files = loso.fold_files(tmp_path)
    assert set(files) == set(loso.TRAINED) and files["attack_suite_train"] == tmp_path / "attack_suite" / "encoder.onnx"


def test_a_fold_file_is_read_as_the_shipped_embedder_is(tmp_path):
    texts = ["The council voted to close the library.", "", "you are an idiot " * 40]
    shipped = store.checked_path(embed.MODEL_FILE)
    np.testing.assert_allclose(train_toxicity.vectors(texts, tmp_path, lambda *a: None, shipped), embed.embed(texts),
                               atol=1e-6)
    assert len(list(tmp_path.glob("vectors-*.npy"))) == 1  # kept in the cache by the file's digest


def test_eval_refuses_missing_fold_vectors_before_any_work(tmp_path):
    r = run("eval", "--only", "loso-model", "--fold-vectors", str(tmp_path / "folds"), "--datasets", str(tmp_path))
    assert r.returncode == 1 and "no fold vectors at" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = run("eval", "--only", "targets", "--fold-vectors", str(tmp_path), "--datasets", str(tmp_path))
    assert r.returncode == 1 and "read by --only loso-model" in r.stderr, r.stderr
