"""Near-duplicate copy: MinHash signatures, LSH band keys for the database, the in-memory index."""

import pytest

from remarks.checks.duplicates import DuplicateIndex, band_keys, from_bytes, signature, similarity, to_bytes

SPAM = "Make money from home with this one simple trick, ask me how"


@pytest.mark.parametrize(
    "b, near",
    [
        ("Make money from home with this one simple trick!! ask me how", True),  # punctuation
        ("MAKE MONEY from home with this one simple trick ask me how", True),  # case
        ("The council kept the libraries open and raised parking fees", False),  # unrelated
        ("Make money with this one simple trick, ask me", False),  # too much changed to call it a copy at 0.7
    ],
)
def test_signatures(b, near):
    sa, sb = signature(SPAM), signature(b)
    assert (similarity(sa, sb) >= 0.7) is near
    if near:
        assert set(band_keys(sa)) & set(band_keys(sb))


def test_unrelated_texts_share_no_band_key():
    assert not set(band_keys(signature(SPAM))) & set(band_keys(signature(
        "The council kept the libraries open and raised parking fees")))


def test_signature_bytes_round_trip():
    sig = signature(SPAM)
    assert (from_bytes(to_bytes(sig)) == sig).all() and len(band_keys(sig)) == 16


def test_index_finds_the_earlier_copy_with_its_author_and_article():
    idx = DuplicateIndex()
    idx.add("c1", SPAM, "ann", "a1")
    idx.add("c2", "The council kept the libraries open and raised parking fees", "bob", "a1")
    found = idx.query(SPAM + "!!")
    assert [d["comment_id"] for d in found] == ["c1"]
    assert found[0]["author"] == "ann" and found[0]["article_id"] == "a1" and found[0]["similarity"] >= 0.9


@pytest.mark.parametrize("text", ["Agreed.", "Thank you", "Source?"])  # short replies repeat innocently
def test_short_texts_are_not_duplicates(text):
    idx = DuplicateIndex()
    idx.add("1", text, "ann", "a")
    assert idx.query(text) == []


@pytest.mark.parametrize("text", [
    SPAM,
    "The council kept the libraries open and raised parking fees",
    "Agreed.",  # one shingle
    "",  # none at all
    "Ünïcödé wörds, 漢字 and emoji 🎉 in a comment about the flood barrier",
    " ".join(f"word{i}" for i in range(500)),  # a long one
])
def test_the_signature_is_datasketchs_minhash(text):
    """Computed without datasketch at run time, and equal to it: signatures stored before stay comparable."""
    from datasketch import MinHash

    from remarks.checks.duplicates import NUM_PERM, SEED, shingles

    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(list(shingles(text)))
    assert (signature(text) == m.hashvalues.astype("uint64")).all()


def test_similarities_at_once_equal_one_by_one():
    from remarks.checks.duplicates import similarities

    sig = signature(SPAM)
    others = [signature(t) for t in (SPAM, SPAM + "!!", "The council kept the libraries open", "Make money now")]
    assert similarities(sig, [to_bytes(o) for o in others]).tolist() == [similarity(sig, o) for o in others]
    assert similarities(sig, []).shape == (0,)
