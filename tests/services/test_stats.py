"""Figures for the statistics page, from real rows bucketed in Python (SQLite and PostgreSQL alike)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from remarks import db as dbmod
from remarks.models import Appeal, Article, Comment, Decision, Statement
from remarks.models.base import utcnow
from remarks.services import stats

# Noon today: every event of the fixture falls on today's date whatever the hour the test runs.
NOON = datetime.combine(utcnow().date(), time(12), tzinfo=UTC)
TODAY = NOON.date().isoformat()


@pytest.fixture
def desk(app, make_user):
    ann = make_user("ann")
    one, two = make_user("modone", role="moderator"), make_user("modtwo", role="moderator")
    with dbmod.unit_of_work(app.state.sessions) as s:
        art = Article(slug="s", title="S", body="B")
        s.add(art)
        s.flush()

        def comment(state, hours_before=1, **kw):
            c = Comment(article_id=art.id, author_id=ann.id, text="x", state=state,
                        created_at=NOON - timedelta(hours=hours_before), **kw)
            s.add(c)
            s.flush()
            return c

        def decide(c, action, rule=None, moderator=None, at=NOON):
            s.add(Decision(comment_id=c.id, action=action, rule=rule, automatic=moderator is None,
                           moderator_id=moderator.id if moderator else None, created_at=at))

        published = [comment("published", nudged=True, edited_after_nudge=True), comment("published", nudged=True),
                     comment("published", hours_before=2)]
        held = comment("held", nudged=True)
        auto_removed, removed = comment("removed"), comment("removed", hours_before=4)
        late = comment("removed", hours_before=10)
        comment("published", hours_before=24 * 40)  # outside a 30-day window

        decide(held, "hold", "abuse")
        decide(auto_removed, "remove", "promotion")
        decide(removed, "hold", "attack")
        decide(removed, "remove", "attack", one)  # 4 hours after the comment
        decide(removed, "approve", None, two, at=NOON + timedelta(hours=1))  # not the first: not counted
        decide(published[2], "approve", None, two)  # 2 hours
        decide(late, "remove", "abuse", one)  # 10 hours
        for state in ("open", "reversed"):
            st = Statement(user_id=ann.id, comment_id=removed.id, measure="removal", ground="attack")
            s.add(st)
            s.flush()
            s.add(Appeal(statement_id=st.id, user_id=ann.id, text="please", state=state))


def rows_of(session, name, days=30):
    header, rows = stats.table(session, name, days)
    return [dict(zip(header, r, strict=True)) for r in rows]


def test_comments_per_day_by_state_within_the_window(desk, session):
    rows = rows_of(session, "comments_per_day")
    assert len(rows) == 30 and rows[-1]["date"] == TODAY
    assert rows[-1] == {"date": TODAY, "published": 3, "held": 1, "removed": 3}
    assert sum(r["published"] for r in rows) == 3  # the 40-day-old comment is outside
    assert sum(r["published"] for r in rows_of(session, "comments_per_day", days=60)) == 4


def test_holds_and_removals_per_rule(desk, session):
    assert rows_of(session, "holds_removals_per_rule") == [
        {"rule": "abuse", "held_automatically": 1, "removed_automatically": 0, "removed_by_moderator": 1},
        {"rule": "attack", "held_automatically": 1, "removed_automatically": 0, "removed_by_moderator": 1},
        {"rule": "promotion", "held_automatically": 0, "removed_automatically": 1, "removed_by_moderator": 0},
    ]


def test_automatic_and_human_decisions(desk, session):
    today = rows_of(session, "decisions_by_kind")[-1]
    assert today == {"date": TODAY, "automatic": 3, "human": 4}


def test_time_to_first_human_decision(desk, session):
    today = rows_of(session, "time_to_decision")[-1]
    # First human decisions after 2, 4 and 10 hours; the later approval of the same comment is ignored.
    assert today == {"date": TODAY, "decisions": 3, "median_hours": 4.0, "p90_hours": 10.0}
    assert rows_of(session, "time_to_decision")[0]["median_hours"] == ""


def test_appeals_moderators_and_nudges(desk, session):
    assert rows_of(session, "appeals") == [{"outcome": "open", "appeals": 1}, {"outcome": "upheld", "appeals": 0},
                                           {"outcome": "reversed", "appeals": 1}]
    assert sorted(rows_of(session, "moderator_throughput"), key=lambda r: r["moderator"]) == [
        {"moderator": "Modone", "decisions": 2, "per_day": 0.07},
        {"moderator": "Modtwo", "decisions": 2, "per_day": 0.07},
    ]
    assert rows_of(session, "nudges") == [{"outcome": "edited after the nudge", "comments": 1},
                                          {"outcome": "posted unchanged", "comments": 2}]


def test_headline_and_plots(desk, session):
    h = stats.headline(session, 30)
    assert h["Comments"] == 7 and h["Automatic decisions"] == 3 and h["Moderator decisions"] == 4
    assert h["Appeals (open / upheld / reversed)"] == "1 / 0 / 1"
    assert h["Nudged comments edited"] == "1 of 3"
    for name in stats.PLOTS:
        header, rows = stats.table(session, name, 7)
        assert stats.plot(name, header, rows)[:4] == b"\x89PNG", name


def test_an_empty_site_has_zeros_not_errors(app, session):
    assert stats.headline(session, 30)["Comments"] == 0
    assert rows_of(session, "holds_removals_per_rule") == []
