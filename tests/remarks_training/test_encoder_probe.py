"""The probe's discussion contrast: closer to the discussion a comment is placed under than to the others."""

import numpy as np
import pytest

from remarks_training.encoder.probe import contrast


def unit(*v: float) -> np.ndarray:
    a = np.array(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_contrast_is_positive_under_its_own_story_and_negative_under_another() -> None:
    bus = np.stack([unit(1, 0.1, 0), unit(1, -0.1, 0)])
    war = np.stack([unit(0, 1, 0.1), unit(0, 1, -0.1)])
    comment = unit(1, 0, 0)
    assert contrast(comment, bus, [war]) > 0.9
    assert contrast(comment, war, [bus]) < -0.9
    # No discussion yet under its story: only how close it is to the others counts.
    assert contrast(unit(1, 1, 0), None, [war]) == pytest.approx(-0.7071, abs=1e-3)
    assert contrast(comment, bus, []) > 0.99
