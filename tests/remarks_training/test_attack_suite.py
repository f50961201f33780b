"""The attack suite: the committed cases are what the templates generate, split by template, the
held-out part names nobody the training part names, and templates.py shows none of the held-out part."""

import ast
from pathlib import Path

from remarks_training import attack_suite
from remarks_training.attack_suite import heldout, templates
from remarks_training.attack_suite.templates import FUNCTIONALITIES, JOURNALISTS, PEOPLE, TARGETS, USERS


def test_committed_cases_are_the_generated_ones():
    generated = attack_suite.generate()
    committed = [{k: v for k, v in r.items() if k not in ("article_title", "article_body")} for r in attack_suite.cases()]
    assert committed == generated


def test_every_functionality_has_training_and_held_out_templates():
    for name, n in attack_suite.counts().items():
        assert n["train"] > 0 and n["heldout"] > 0, name


def test_split_is_by_template():
    train = {r["template"] for r in attack_suite.cases("train")}
    held = {r["template"] for r in attack_suite.cases("heldout")}
    assert train and held and not train & held
    train_texts = {r["text"] for r in attack_suite.cases("train")}
    assert not train_texts & {r["text"] for r in attack_suite.cases("heldout")}


def test_held_out_people_never_appear_in_training_rows():
    held_names = [*USERS["heldout"], *(j for j in JOURNALISTS["heldout"] if j[0].isupper()),
                  *(p.name for p in PEOPLE["heldout"]), *(p.short for p in PEOPLE["heldout"])]
    for r in attack_suite.cases("train"):
        for name in held_names:
            assert name not in r["text"], (name, r["text"])


def test_templates_py_holds_no_held_out_text():
    """Opening templates.py to improve the training templates shows no held-out template or filler."""
    assert set(heldout.TEMPLATES) == {f.name for f in FUNCTIONALITIES}
    held = [*(t for ts in heldout.TEMPLATES.values() for t in ts), *heldout.USERS, *heldout.JOURNALISTS,
            *heldout.GROUPS, *(field for p in heldout.PEOPLE for field in p)]
    source = Path(templates.__file__).read_text(encoding="utf-8")
    strings = [source, *(n.value for n in ast.walk(ast.parse(source))
                         if isinstance(n, ast.Constant) and isinstance(n.value, str))]
    leaked = sum(any(text in s for s in strings) for text in held)
    assert len(held) > 50  # (the failure messages name no held-out text)
    assert leaked == 0, f"{leaked} held-out texts are in templates.py: move them to heldout.py"


def test_labels_and_targets():
    rows = attack_suite.cases()
    assert {r["attack"] for r in rows} == {0, 1}
    assert {r["target"] for r in rows} <= set(TARGETS)
    for r in rows:
        if r["target"] == "commenter":
            assert r["parent_author"] == r["target_name"] and r["target_name"] in r["participants"]
        if r["target"] == "story_person":
            assert r["target_name"] in r["people"] and r["article_body"]
        if r["target"] == "none":
            assert r["target_name"] is None
        assert r["text"] and "{" not in r["text"]
    kinds = {f.name: f.attack for f in FUNCTIONALITIES}
    assert kinds["civil_person"] == 0 and kinds["mockery_person"] == 1 and kinds["counter_quote"] == 0


def test_bad_split_is_refused():
    import pytest

    with pytest.raises(ValueError):
        attack_suite.cases("test")
