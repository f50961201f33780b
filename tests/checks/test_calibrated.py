"""Calibrated scores reach the policy: the pipeline maps every built-in check's score through the
calibrator shipped for its rule and model version, keeps the raw score as evidence, and the default
thresholds are the operating point fitted for those calibrated scores."""

from __future__ import annotations

import pytest

from remarks.checks.base import CheckResult, CommentContext
from remarks.checks.calibrated import calibrated
from remarks.checks.registry import load_checks
from remarks.ml import calibration
from remarks.moderation import rules
from remarks.moderation.pipeline import Pipeline

SHIPPED = calibration.load()["rules"]


@pytest.mark.parametrize("rule", sorted(SHIPPED))
def test_a_shipped_calibrator_maps_its_own_model_version_and_keeps_the_raw_score(rule):
    version = SHIPPED[rule]["model_version"]
    raw = [0.05, 0.3, 0.5, 0.7, 0.95]
    out = [calibrated(CheckResult(rule=rule, score=s, model_version=version)) for s in raw]
    assert [r.details["raw_score"] for r in out] == raw
    scores = [r.score for r in out]
    assert scores == sorted(scores), "calibration must keep the order of the scores"
    assert scores != raw, "a shipped calibrator that changes nothing is not a calibrator"


def test_a_plug_in_rule_is_left_alone():
    plugin = CheckResult(rule="phone", score=0.4, model_version="1")
    assert calibrated(plugin) is plugin


@pytest.mark.parametrize("rule", sorted(SHIPPED))
def test_another_check_of_a_calibrated_rule_holds_what_it_held_before(rule):
    """A stand-in or another language's model has no calibrator: its scores are aligned so that its old
    hold threshold lands on the operating point's, keeping order."""
    hold = rules.get(rule).hold
    before = calibration.UNCALIBRATED_HOLD[rule]
    raw = [0.0, before - 0.01, before, before + 0.01, 0.99]
    out = [calibrated(CheckResult(rule=rule, score=s, model_version="stand-in")).score for s in raw]
    assert out == sorted(out)
    assert out[1] < hold <= out[2] < out[3]


def test_the_default_thresholds_are_the_operating_point_for_the_calibrated_scores():
    points = calibration.operating_points()["rules"]
    assert points, "no operating point is shipped"
    for name, point in points.items():
        rule = rules.get(name)
        assert (rule.hold, rule.remove) == (point["hold"], point["remove"])
        assert rules.measured(name) == {"caught": round(100 * point["caught"]), "held": round(100 * point["clean_held"])}


def test_the_pipeline_hands_the_policy_calibrated_scores():
    checks = [c for c in load_checks(None) if c.rule in ("abuse", "attack")]
    ctx = CommentContext(text="You are a pathetic idiot and everyone here knows it.", article_title="Budget vote")
    (results,) = Pipeline(checks).score([ctx])
    for res in results:
        entry = SHIPPED.get(res.rule)
        if entry is None or entry["model_version"] != res.model_version:
            continue
        raw = res.details["raw_score"]
        assert res.score == pytest.approx(calibration.apply_one(res.rule, raw, res.model_version), abs=1e-4)


def test_a_calibrated_score_is_never_certainty_so_remove_at_one_never_removes():
    for rule, entry in SHIPPED.items():
        res = calibrated(CheckResult(rule=rule, score=1.0, model_version=entry["model_version"]))
        assert res.score < 1.0


def test_the_switched_off_encoder_keeps_calibrators_of_its_own():
    """calibration.json keeps the fine-tuned encoder's calibrators beside the shipped checks', so a
    newsroom that switches it on (REMARKS_ENCODER_CHECKS=1) gets calibrated scores, not aligned ones."""
    from remarks.ml import encoder

    version = f"encoder-{encoder.meta()['sha256'][:8]}"
    kept = calibration.load().get("by_version", {}).get(version, {})
    assert {"abuse", "attack"} <= set(kept)
    for rule in ("abuse", "attack"):
        # the abuse check's version carries its threat patterns: "encoder-xxxxxxxx+threats-1"
        checked = f"{version}+threats-1" if rule == "abuse" else version
        out = calibrated(CheckResult(rule=rule, score=0.7, model_version=checked))
        assert out.score == pytest.approx(float(calibration.apply_entry(kept[rule], [0.7])[0]), abs=1e-4)
