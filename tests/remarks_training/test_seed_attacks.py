"""The written attacks and counter-speech: split by idea, labelled consistently, read by the trainer,
and clear of the attack suite's held-out people and phrasings."""

import os
from pathlib import Path

import pytest

from remarks_training import attack_suite, seed_attacks
from remarks_training.attack_suite.templates import JOURNALISTS, PEOPLE, USERS
from remarks_training.train_toxicity import SOURCE_WEIGHT


def test_split_is_by_idea():
    train, valid = seed_attacks.rows("train"), seed_attacks.rows("valid")
    ideas = {p: {r.extra["idea"] for r in rows} for p, rows in (("train", train), ("valid", valid))}
    assert ideas["train"] and ideas["valid"] and not ideas["train"] & ideas["valid"]
    assert not {r.text for r in train} & {r.text for r in valid}
    assert 0.15 < len(valid) / (len(train) + len(valid)) < 0.25
    with pytest.raises(ValueError):
        seed_attacks.rows("test")


def test_every_kind_has_attacks_and_civil_counterparts_in_both_parts():
    for part in ("train", "valid"):
        rows = seed_attacks.rows(part)
        for kind, (_, first) in seed_attacks.KINDS.items():
            mine = [r for r in rows if r.extra["kind"] == kind]
            flagged = [r for r in mine if (r.abuse, r.attack) == (first["abuse"], first["attack"])]
            clean = [r for r in mine if (r.abuse, r.attack) == (0, 0)]
            assert flagged and clean and len(flagged) + len(clean) == len(mine), (part, kind)
    assert all(r.source == seed_attacks.SOURCE and "{" not in r.text for r in seed_attacks.rows("train"))


def test_the_trainer_weighs_the_source():
    assert seed_attacks.SOURCE in SOURCE_WEIGHT


def test_context_names_the_byline_and_the_commenter_replied_to():
    for r in seed_attacks.rows("train") + seed_attacks.rows("valid"):
        if "byline" in r.extra:
            assert r.extra["byline"] in seed_attacks.JOURNALISTS
            assert r.extra["byline"].split()[-1] in r.text
        if "participants" in r.extra:
            assert "@" + r.extra["participants"][0] in r.text


def test_clear_of_the_attack_suite():
    """No held-out name or filler of the suite ("this reporter" included), and no sentence of the suite."""
    held = [*USERS["heldout"], *JOURNALISTS["heldout"], *(p.name for p in PEOPLE["heldout"]),
            *(p.short for p in PEOPLE["heldout"]), *(p.name.split()[-1] for p in PEOPLE["heldout"])]
    suite = {r["text"].lower() for r in attack_suite.cases()}
    for r in seed_attacks.rows("train") + seed_attacks.rows("valid"):
        low = r.text.lower()
        assert low not in suite, r.text
        for name in held:
            assert name.lower() not in low, (name, r.text)


@pytest.mark.skipif(not os.environ.get("REMARKS_DATASETS"), reason="REMARKS_DATASETS not set")
def test_no_hatecheck_case_is_copied():
    from remarks_training import datasets

    path = Path(os.environ["REMARKS_DATASETS"]) / "hatecheck/test_suite_cases.csv"
    if not path.exists():
        pytest.skip("no HateCheck copy")
    cases = {r.text.lower() for r in datasets.hatecheck(os.environ["REMARKS_DATASETS"])}
    assert not [r.text for r in seed_attacks.rows("train") + seed_attacks.rows("valid") if r.text.lower() in cases]
