"""The artifact loader checks every model file against the sha256 its meta file records."""

import json
import shutil

import numpy as np
import pytest

from remarks.ml import store


SHIPPED = sorted(p.name for p in store.DIR.iterdir()
                 if p.is_file() and not p.name.endswith((".meta.json", ".LICENSE", ".NOTICE")))


def test_the_models_are_all_there():
    assert {"toxicity.npz", "promotion.npz", "bilstm_jigsaw.npz", "bilstm_jigsaw.vocab.json", "offtopic.json",
            "minilm_tokenizer.json"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_artifact_matches_its_meta(name):
    # Every model file in the package has a meta file recording its sha256, and matches it.
    assert store.read_bytes(name)


def _copy(tmp_path, *names):
    for n in names:
        shutil.copy(store.DIR / n, tmp_path / n)


def test_a_tampered_npz_is_refused(tmp_path):
    _copy(tmp_path, "promotion.npz", "promotion.meta.json")
    assert set(store.load_npz("promotion.npz", tmp_path)) >= {"idf", "coef", "intercept"}
    arrays = store.load_npz("promotion.npz", tmp_path)
    arrays["coef"] = arrays["coef"] * 2  # a model that would give other scores
    np.savez_compressed(tmp_path / "promotion.npz", **arrays)
    with pytest.raises(store.ArtifactError, match="promotion.npz does not match its meta file"):
        store.load_npz("promotion.npz", tmp_path)


def test_one_flipped_byte_is_refused(tmp_path):
    _copy(tmp_path, "offtopic.json", "offtopic.meta.json")
    data = bytearray((tmp_path / "offtopic.json").read_bytes())
    data[-2] ^= 1
    (tmp_path / "offtopic.json").write_bytes(bytes(data))
    with pytest.raises(store.ArtifactError, match="sha256"):
        store.load_json("offtopic.json", tmp_path)


def test_a_file_listed_in_a_multi_file_meta_is_checked(tmp_path):
    _copy(tmp_path, "bilstm_jigsaw.vocab.json", "bilstm_jigsaw.meta.json")
    assert store.load_json("bilstm_jigsaw.vocab.json", tmp_path)
    (tmp_path / "bilstm_jigsaw.vocab.json").write_text("{}")
    with pytest.raises(store.ArtifactError, match="does not match"):
        store.load_json("bilstm_jigsaw.vocab.json", tmp_path)


def test_missing_meta_missing_file_and_unrecorded_digest(tmp_path):
    _copy(tmp_path, "offtopic.json")
    with pytest.raises(store.ArtifactError, match="meta file offtopic.meta.json is missing"):
        store.load_json("offtopic.json", tmp_path)
    (tmp_path / "offtopic.meta.json").write_text(json.dumps({"file": "offtopic.json"}))
    with pytest.raises(store.ArtifactError, match="records no sha256"):
        store.load_json("offtopic.json", tmp_path)
    _copy(tmp_path, "promotion.meta.json")
    with pytest.raises(store.ArtifactError, match="missing"):
        store.load_npz("promotion.npz", tmp_path)


def test_checked_path_checks_the_file_before_handing_out_its_path(tmp_path):
    _copy(tmp_path, "offtopic.json", "offtopic.meta.json")
    assert store.checked_path("offtopic.json", tmp_path) == tmp_path / "offtopic.json"
    (tmp_path / "offtopic.json").write_text("{}")
    with pytest.raises(store.ArtifactError, match="does not match"):
        store.checked_path("offtopic.json", tmp_path)
