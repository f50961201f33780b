"""Property tests: the policy is monotonic; the normaliser never fails and maps back inside the
original; the archive reader names a bad line or reads every good one."""

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from remarks.checks.base import CheckResult
from remarks.text.normalize import normalize
from remarks.moderation.policy import Thresholds, decide
from remarks.errors import BadInput
from remarks.services import archive
from remarks.services.policy import PolicyConfig, RuleThresholds
from remarks.moderation.policy import Circumstances, verdict as apply_policy

SEVERITY = {"publish": 0, "hold": 1, "remove": 2}
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def thresholds(draw):
    a, b = sorted([draw(unit), draw(unit)])
    return Thresholds(a, b)


@given(thresholds(), unit, unit)
def test_a_higher_score_never_gets_a_milder_action(t, s1, s2):
    lo, hi = sorted([s1, s2])
    act = [decide([CheckResult("abuse", s, "t")], {"abuse": t}).action for s in (lo, hi)]
    assert SEVERITY[act[0]] <= SEVERITY[act[1]]


@given(unit, thresholds(), thresholds())
def test_stricter_thresholds_never_give_a_milder_action(score, t1, t2):
    strict = Thresholds(min(t1.hold, t2.hold), min(t1.remove, t2.remove))
    loose = Thresholds(max(t1.hold, t2.hold), max(t1.remove, t2.remove))
    r = [CheckResult("attack", score, "t")]
    assert SEVERITY[decide(r, {"attack": strict}).action] >= SEVERITY[decide(r, {"attack": loose}).action]


@given(st.lists(st.tuples(st.sampled_from(["abuse", "attack", "promotion", "offtopic"]), unit), max_size=4),
       st.text(max_size=80), st.integers(0, 10), st.booleans())
def test_policy_config_pre_moderation_only_makes_actions_stricter(scores, text, prior, links):
    results = [CheckResult(rule, s, "t") for rule, s in scores]
    base = PolicyConfig(thresholds={r: RuleThresholds(hold=0.5, remove=0.9) for r in ("abuse", "attack", "promotion",
                                                                                         "offtopic")})
    strict = base.model_copy(update={"premoderate_first_n": 5, "premoderate_links": links})
    who = Circumstances(username="u", prior_comments=prior, article_slug="s")
    assert SEVERITY[apply_policy(results, strict, text, who).action] >= \
        SEVERITY[apply_policy(results, base, text, who).action]


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_normaliser_never_fails_and_maps_inside_the_original(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i in range(len(n.text)):
        a, b = n.to_original(i, i + 1)
        assert 0 <= a <= b <= len(text)


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), max_size=120))
def test_normaliser_is_idempotent_on_its_output(text):
    once = normalize(text).text
    assert normalize(once).text == normalize(normalize(once).text).text


line = st.one_of(
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=8), "text": st.text(min_size=1, max_size=40)}),
    st.dictionaries(st.sampled_from(["id", "text", "x"]), st.one_of(st.text(max_size=5), st.integers(), st.none())),
    st.text(max_size=20),
)


@settings(max_examples=200)
@given(st.lists(line, max_size=12))
def test_archive_reader_reads_every_good_line_or_names_the_bad_one(lines):
    raw = "".join((json.dumps(x) if not isinstance(x, str) else x.replace("\n", " ")) + "\n" for x in lines)
    try:
        ctxs = list(archive.contexts(io.StringIO(raw), "jsonl", archive.Columns(), {}))
    except BadInput as exc:
        assert "line " in exc.message  # which line, always
        return
    non_empty = [ln for ln in raw.split("\n") if ln.strip()]
    assert len(ctxs) == len(non_empty)  # nothing skipped silently
