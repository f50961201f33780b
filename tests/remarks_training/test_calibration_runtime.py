"""The run-time calibration: isotonic knots are interpolated, Platt is a logistic of the logit, a
calibrator fitted on another model version leaves scores alone."""

import numpy as np
import pytest

from remarks.checks.base import CheckResult
from remarks.checks.calibrated import calibrated

from remarks.ml import calibration

TABLE = {"rules": {
    "abuse": {"method": "isotonic", "x": [0.0, 0.5, 1.0], "y": [0.0, 0.1, 0.9], "model_version": "m1"},
    "attack": {"method": "platt", "a": 1.0, "b": 0.0, "model_version": "m1"},
}}


def test_isotonic_interpolates():
    out = calibration.apply("abuse", [0.0, 0.25, 0.5, 0.75, 1.0], table=TABLE)
    assert np.allclose(out, [0.0, 0.05, 0.1, 0.5, 0.9])


def test_platt_identity_and_monotone():
    out = calibration.apply("attack", [0.1, 0.5, 0.9], table=TABLE)
    assert np.allclose(out, [0.1, 0.5, 0.9], atol=1e-4)


def test_other_model_version_and_unknown_rule_are_left_alone():
    assert np.allclose(calibration.apply("abuse", [0.75], model_version="m2", table=TABLE), [0.75])
    assert np.allclose(calibration.apply("promotion", [0.3], table=TABLE), [0.3])
    assert np.allclose(calibration.apply("abuse", [0.75], model_version="m1", table=TABLE), [0.5])


def test_a_floor_is_applied_after_calibration_whatever_the_curve(monkeypatch):
    """An explicit threat is put at a calibrated 0.9 (CheckResult.floor): an isotonic curve that steps from
    0.86 straight to 1.0 neither carries it past the removal threshold nor keeps it below 0.9."""
    table = {"rules": {"attack": {"method": "isotonic", "x": [0.0, 0.9973, 0.9975, 1.0], "y": [0.0, 0.857, 1.0, 1.0],
                                  "model_version": "m1"}}}
    monkeypatch.setattr(calibration, "load", lambda: table)
    for raw in (0.0, 0.5, 0.9973):
        out = calibrated(CheckResult("attack", raw, "m1", floor=0.9))
        assert out.score == 0.9 and out.details["raw_score"] == raw
    assert calibrated(CheckResult("attack", 0.9974, "m1", floor=0.9)).score > 0.9  # the model said more: kept
    assert calibrated(CheckResult("attack", 0.2, "m1")).score < 0.9  # no floor, no change
    # a rule with no calibrator (a plug-in's) gets its floor as it is
    assert calibrated(CheckResult("house", 0.1, "p1", floor=0.8)).score == 0.8
    with pytest.raises(ValueError, match="floor"):
        CheckResult("attack", 0.1, "m1", floor=1.5)
