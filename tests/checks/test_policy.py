import pytest

from remarks.checks.base import CheckResult
from remarks.moderation.policy import Thresholds, decide

T = {"abuse": Thresholds(0.5, 0.9), "promotion": Thresholds(0.4, 0.8)}


def r(rule, score):
    return CheckResult(rule=rule, score=score, model_version="test")


@pytest.mark.parametrize(
    "results, action, rule",
    [
        ([], "publish", None),  # nothing checked: publish
        ([r("abuse", 0.49)], "publish", None),  # just under hold
        ([r("abuse", 0.5)], "hold", "abuse"),  # at hold threshold: hold
        ([r("abuse", 0.9)], "remove", "abuse"),  # at remove threshold: remove
        ([r("abuse", 0.6), r("promotion", 0.85)], "remove", "promotion"),  # the most severe action wins
        ([r("abuse", 0.6), r("promotion", 0.7)], "hold", "promotion"),  # same action: furthest past its threshold
        ([r("abuse", 0.7), r("promotion", 0.65)], "hold", "promotion"),  # 0.25 of 0.6 to go beats 0.2 of 0.5
        ([r("offtopic", 1.0)], "publish", None),  # a rule without thresholds never acts
    ],
)
def test_decide(results, action, rule):
    out = decide(results, T)
    assert (out.action, out.rule) == (action, rule)


def test_a_rule_just_past_a_high_threshold_is_not_cited_over_one_far_past_its_own():
    high = {"offtopic": Thresholds(0.94, 1.0), "promotion": Thresholds(0.5, 0.95)}
    out = decide([r("offtopic", 0.95), r("promotion", 0.9)], high)
    assert (out.action, out.rule) == ("hold", "promotion")


def test_hold_everything_holds_what_would_publish_but_keeps_removals():
    assert decide([r("abuse", 0.1)], T, hold_everything=True).action == "hold"
    assert decide([r("abuse", 0.95)], T, hold_everything=True).action == "remove"


def test_higher_score_never_gets_a_milder_action():
    order = {"publish": 0, "hold": 1, "remove": 2}
    steps = [i / 100 for i in range(101)]
    actions = [order[decide([r("abuse", s)], T).action] for s in steps]
    assert actions == sorted(actions)


@pytest.mark.parametrize("hold, remove", [(0.9, 0.5), (-0.1, 0.5), (0.2, 1.2)])
def test_bad_thresholds_are_refused(hold, remove):
    with pytest.raises(ValueError):
        Thresholds(hold, remove)


def test_score_outside_unit_interval_is_refused():
    with pytest.raises(ValueError):
        r("abuse", 1.5)
