"""The run-time calibration: isotonic knots are interpolated, Platt is a logistic of the logit, a
calibrator fitted on another model version leaves scores alone."""

import numpy as np

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


def test_raw_for_puts_a_score_at_the_probability_even_across_a_big_step(monkeypatch):
    """An explicit threat is put at a calibrated 0.9 (checks/abuse.py): an isotonic curve that steps from 0.86
    straight to 1.0 must not carry it to 1.0, past the removal threshold."""
    table = {"rules": {"attack": {"method": "isotonic", "x": [0.0, 0.9973, 0.9975, 1.0], "y": [0.0, 0.857, 1.0, 1.0],
                                  "model_version": "m1"}}}
    monkeypatch.setattr(calibration, "load", lambda: table)
    for p in (0.5, 0.9, 0.95):
        raw = calibration.raw_for("attack", p, "m1")
        assert abs(float(calibration.apply("attack", [raw], "m1", table=table)[0]) - p) < 1e-4, p
    assert calibration.raw_for("attack", 0.9, "m2") == 0.9  # no calibrator for that version: as it is
