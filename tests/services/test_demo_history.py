"""The lived-in demo: two weeks of generated history give the queue, the reports, the appeals and
every statistics chart content; an empty site's charts say so in a sentence instead of empty axes."""

from __future__ import annotations

from sqlalchemy import func, select

from remarks import db as dbmod
from remarks.models import Appeal, Comment, Report, Sanction
from remarks.services import demo, stats
from tests.support import login


def test_the_demo_history_fills_every_chart_the_queue_reports_and_appeals(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        assert demo.seed(s, history=True)
    with app.state.sessions() as s:
        for name in stats.PLOTS:
            assert stats.has_data(name, stats.table(s, name, 30)[1]), name
        count = s.scalar(select(func.count()).select_from(Comment))
        held = s.scalar(select(func.count()).select_from(Comment).where(Comment.state == "held"))
        days = {d.date() for d in s.scalars(select(Comment.created_at))}
        assert 300 <= count <= 400 and held >= 5 and len(days) >= 12
        assert s.scalar(select(func.count()).select_from(Report).where(Report.outcome.is_(None))) >= 3
        assert s.scalar(select(func.count()).select_from(Appeal).where(Appeal.state == "open")) == 1
        assert {k for (k,) in s.execute(select(Sanction.kind))} == {"warning", "suspension", "ban"}


def test_empty_charts_are_a_sentence(client, app, make_user):
    make_user("mod", role="moderator")
    login(client, "mod")
    page = client.get("/desk/stats").text
    assert "<img" not in page.split('class="stats-grid"')[1]
    assert "No comments in these 30 days yet." in page and "Nobody appealed a decision" in page


def test_charts_with_content_are_pictures(client, app, make_user):
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s, history=True)
    login(client, "moderator", "moderator-demo-pass")
    page = client.get("/desk/stats").text
    grid = page.split('class="stats-grid"')[1]
    assert grid.count("<img") == len(stats.PLOTS) and "stats-empty" not in grid
