import os
import subprocess
import sys

from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import Article, AuditEvent, CheckRecord, Comment, Decision, PolicyVersion
from remarks.services import calibrate, policy


def _labelled(app, make_user, n=60):
    """Moderators removed the comments the abuse check scored above 0.7 and approved the rest."""
    make_user("ann")
    mod = make_user("mod", role="moderator")
    with dbmod.unit_of_work(app.state.sessions) as s:
        art = Article(slug="s", title="S", body="B")
        s.add(art)
        s.flush()
        for i in range(n):
            score = i / n
            c = Comment(article_id=art.id, author_id=1, text=f"c{i}", state="held")
            s.add(c)
            s.flush()
            s.add(CheckRecord(comment_id=c.id, rule="abuse", score=score, evidence={}, model_version="t"))
            removed = score > 0.7
            s.add(Decision(comment_id=c.id, moderator_id=mod.id, action="remove" if removed else "approve",
                           rule="abuse" if removed else None))


def test_suggestions_follow_the_moderators(app, make_user, session):
    _labelled(app, make_user)
    reports = calibrate.suggest(session, policy.current(session, app.state.settings))
    (r,) = reports
    assert r.rule == "abuse" and r.labels == 60 and r.positives == 17
    assert 0.5 <= r.suggested[0] <= 0.72 and 0.7 <= r.suggested[1] <= 0.75
    assert r.at_suggested["hold"]["recall"] >= 0.95 and r.at_suggested["remove"]["precision"] >= 0.98


def test_cli_changes_nothing_without_apply_and_saves_with_it(app, make_user, db_url):
    _labelled(app, make_user)
    make_user("boss", role="admin")
    env = {**os.environ, "COLUMNS": "200"}
    run = [sys.executable, "-m", "remarks.cli", "calibrate", "--db", db_url]
    r = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "Nothing changed" in r.stderr and "abuse" in r.stdout
    with app.state.sessions() as s:
        assert s.scalar(select(PolicyVersion)) is None
    r = subprocess.run(run + ["--apply", "--as", "boss"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    with app.state.sessions() as s:
        saved = s.scalars(select(PolicyVersion)).one()
        assert saved.data["thresholds"]["abuse"]["remove"] < 0.95
        assert s.scalar(select(AuditEvent).where(AuditEvent.name == "policy:changed")).actor_id is not None


def test_cli_errors_are_one_line_and_a_non_zero_exit(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"  # no tables: not migrated
    for args, code in [(["calibrate", "--db", empty], 1),
                       (["audit", "export", "--db", empty], 1),
                       (["statements", "export", "--format", "xml", "--db", empty], 2)]:
        r = subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == code, (args, r.stderr)
        assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, (args, r.stderr)
