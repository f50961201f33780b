"""Sanctions, the escalation ladder, reports, statements of reasons, appeals, claims."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.errors import BadInput, Conflict, Forbidden
from remarks.models import Appeal, Article, AuditEvent, Comment, Notification, Report, Statement
from remarks.models.base import utcnow
from remarks.services import appeals, comments, moderation, policy, reports, sanctions
from remarks.services.comments import Origin


@pytest.fixture
def article(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        a = Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed.")
        s.add(a)
    return a


@pytest.fixture
def people(make_user):
    return {"ann": make_user("ann"), "bob": make_user("bob"), "cat": make_user("cat"),
            "mod": make_user("mod", role="moderator"), "mod2": make_user("mod2", role="moderator"),
            "boss": make_user("boss", role="admin")}


def post(app, user, article, text, **kw):
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        return comments.submit_comment(s, s.merge(user), article_id=article.id, text=text, pipeline=app.state.pipeline,
                                       policy=policy.current(s, st), max_chars=5000, per_minute=100, **kw)


def uow(app):
    return dbmod.unit_of_work(app.state.sessions)


def names(session, **where):
    q = select(AuditEvent.name).order_by(AuditEvent.id)
    for k, v in where.items():
        q = q.where(getattr(AuditEvent, k) == v)
    return session.scalars(q).all()


# --- sanctions and the ladder -------------------------------------------------------------

@pytest.mark.parametrize(
    "kind, days, may_post, words",
    [
        ("warning", None, True, "warned"),  # a warning: told why, may still post
        ("suspension", 3, False, "until"),  # a suspension: told until when
        ("ban", None, False, "permanent"),  # a ban: told it is permanent
    ],
)
def test_each_sanction_path_sends_a_statement(app, people, article, session, kind, days, may_post, words):
    with uow(app) as s:
        row = sanctions.sanction(s, s.merge(people["mod"]), user_id=people["ann"].id, kind=kind, rule="attack",
                                 reason="insulted another reader", days=days)
        assert words in sanctions.describe(row)
    st = session.scalars(select(Statement).where(Statement.user_id == people["ann"].id)).one()
    assert st.measure == kind and st.ground == "attack" and not st.automated_decision
    note = session.scalars(select(Notification).where(Notification.user_id == people["ann"].id)).one()
    assert "appeal" in note.body and "Personal attack" in note.body
    if may_post:
        assert post(app, people["ann"], article, "Fair enough.").state == "published"
    else:
        with pytest.raises(Exception) as exc:
            post(app, people["ann"], article, "let me in")
        assert exc.value.status == 403


def test_suspension_needs_a_length(app, people):
    with pytest.raises(BadInput), uow(app) as s:
        sanctions.sanction(s, s.merge(people["mod"]), user_id=people["ann"].id, kind="suspension", rule="abuse")


def test_moderator_cannot_sanction_a_moderator_but_admin_can(app, people):
    with pytest.raises(Forbidden), uow(app) as s:
        sanctions.sanction(s, s.merge(people["mod"]), user_id=people["mod2"].id, kind="warning", rule="abuse")
    with uow(app) as s:
        sanctions.sanction(s, s.merge(people["boss"]), user_id=people["mod2"].id, kind="warning", rule="abuse")


def test_escalation_ladder_steps_up_and_stays_at_the_top(app, people, session):
    ladder = policy.current(session, app.state.settings).escalation
    seen = []
    for _ in range(5):
        with uow(app) as s:
            kind, days = sanctions.next_step(s, s.merge(people["ann"]), ladder)
            seen.append((kind, days))
            sanctions.sanction(s, s.merge(people["mod"]), user_id=people["ann"].id, kind=kind, rule="abuse", days=days)
    assert seen == [("warning", None), ("suspension", 1), ("suspension", 7), ("ban", None), ("ban", None)]


def test_a_custom_ladder_from_toml(app, people, session):
    cfg = policy.parse_toml('escalation = [{kind = "suspension", days = 2}, {kind = "ban"}]',
                            base=policy.current(session, app.state.settings))
    assert sanctions.next_step(session, session.merge(people["ann"]), cfg.escalation) == ("suspension", 2)


def test_ban_with_remove_all(app, people, article, session):
    for i in range(3):
        post(app, people["ann"], article, f"comment {i}")
    with uow(app) as s:
        n = moderation.remove_all_by(s, s.merge(people["mod"]), people["ann"].id, rule="promotion", reason="spam")
    assert n == 3
    states = session.scalars(select(Comment.state).where(Comment.author_id == people["ann"].id)).all()
    assert states == ["removed"] * 3
    assert len(session.scalars(select(Statement).where(Statement.user_id == people["ann"].id)).all()) == 3


# --- reports --------------------------------------------------------------------------------

def test_enough_weighted_reports_hold_and_reporters_get_an_acknowledgement(app, people, article, session):
    c = post(app, people["ann"], article, "A perfectly civil comment")
    for who in ("bob", "cat"):
        with uow(app) as s:
            reports.report(s, s.merge(people[who]), comment_id=c.id, reason="attack", policy=policy.PolicyConfig(report_hold_weight=2.0))
    assert session.get(Comment, c.id).state == "held"
    assert "comment:held" in names(session, subject_id=c.id, subject_type="comment")
    ack = session.scalars(select(Notification).where(Notification.user_id == people["bob"].id)).one()
    assert ack.subject == "We received your report"


def test_reports_from_a_usually_wrong_reporter_count_less(app, people, article, session):
    bob = people["bob"]
    for i in range(4):  # four reports by bob, all rejected by a moderator
        c = post(app, people["ann"], article, f"civil comment {i}")
        with uow(app) as s:
            reports.report(s, s.merge(bob), comment_id=c.id, reason="abuse", policy=policy.PolicyConfig(report_hold_weight=10))
            moderation.decide(s, s.merge(people["mod"]), comment_id=c.id, action="approve", rule=None)
    assert reports.reporter_weight(session, session.merge(bob)) == pytest.approx(2 * 1 / 6, abs=1e-3)
    assert reports.reporter_weight(session, session.merge(people["cat"])) == 1.0
    c = post(app, people["ann"], article, "another")
    with uow(app) as s:
        reports.report(s, s.merge(bob), comment_id=c.id, reason="abuse", policy=policy.PolicyConfig(report_hold_weight=1.0))
    session.rollback()  # a fresh snapshot: the comment was written after this session's last read
    assert session.get(Comment, c.id).state == "published"  # 0.33 < 1.0: not held


@pytest.mark.parametrize(
    "reason, explanation, error",
    [
        ("illegal", "", BadInput),  # illegal content needs an explanation (DSA Art. 16)
        ("rudeness", "", BadInput),  # not one of the reasons
    ],
)
def test_bad_reports(app, people, article, reason, explanation, error):
    c = post(app, people["ann"], article, "hello")
    with pytest.raises(error), uow(app) as s:
        reports.report(s, s.merge(people["bob"]), comment_id=c.id, reason=reason, explanation=explanation,
                       policy=policy.PolicyConfig(report_hold_weight=3))


def test_one_report_per_reader_and_not_ones_own(app, people, article):
    c = post(app, people["ann"], article, "hello")
    with uow(app) as s:
        reports.report(s, s.merge(people["bob"]), comment_id=c.id, reason="illegal",
                       explanation="It names a minor in a court case.", policy=policy.PolicyConfig(report_hold_weight=3))
    with pytest.raises(Conflict), uow(app) as s:
        reports.report(s, s.merge(people["bob"]), comment_id=c.id, reason="abuse", policy=policy.PolicyConfig(report_hold_weight=3))
    with pytest.raises(BadInput), uow(app) as s:
        reports.report(s, s.merge(people["ann"]), comment_id=c.id, reason="abuse", policy=policy.PolicyConfig(report_hold_weight=3))


def test_upheld_reports_make_the_statement_say_it_came_from_a_notice(app, people, article, session):
    c = post(app, people["ann"], article, "hello")
    with uow(app) as s:
        reports.report(s, s.merge(people["bob"]), comment_id=c.id, reason="attack", policy=policy.PolicyConfig(report_hold_weight=3))
        moderation.decide(s, s.merge(people["mod"]), comment_id=c.id, action="remove", rule="attack")
    st = session.scalars(select(Statement).where(Statement.comment_id == c.id)).one()
    assert st.source == "notice" and "reader report" in st.facts
    assert session.scalars(select(Report.outcome)).one() == "upheld"


# --- appeals ----------------------------------------------------------------------------------

def _removed_with_statement(app, people, article, session, by="mod"):
    c = post(app, people["ann"], article, "a comment the moderator removes")
    with uow(app) as s:
        moderation.decide(s, s.merge(people[by]), comment_id=c.id, action="remove", rule="offtopic",
                          reason="about another story")
    return c, session.scalars(select(Statement).where(Statement.comment_id == c.id)).one()


def test_appeal_reversed_by_another_moderator_restores_the_comment(app, people, article, session):
    c, st = _removed_with_statement(app, people, article, session)
    with uow(app) as s:
        a = appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="It was about this very story.")
    with pytest.raises(Forbidden), uow(app) as s:  # the moderator who removed it may not decide
        appeals.decide(s, s.merge(people["mod"]), appeal_id=a.id, outcome="reversed", answer="You are right, sorry.")
    with uow(app) as s:
        appeals.decide(s, s.merge(people["mod2"]), appeal_id=a.id, outcome="reversed", answer="You are right, sorry.")
    session.rollback()  # a fresh snapshot
    assert session.get(Comment, c.id).state == "published"
    assert session.get(Appeal, a.id).state == "reversed"
    assert names(session, subject_id=c.id, subject_type="comment")[-1] == "comment:restored"
    answer = session.scalars(select(Notification).where(Notification.user_id == people["ann"].id)
                             .order_by(Notification.id.desc())).first()
    assert answer.subject == "The answer to your appeal" and "back on the page" in answer.body


def test_appeal_once_per_decision_and_never_by_someone_else(app, people, article, session):
    _, st = _removed_with_statement(app, people, article, session)
    with pytest.raises(Exception) as exc, uow(app) as s:
        appeals.file(s, s.merge(people["bob"]), statement_id=st.id, text="Not my comment but still")
    assert exc.value.status == 404
    with uow(app) as s:
        appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="Please look again at it.")
    with pytest.raises(Conflict), uow(app) as s:
        appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="And again, please look.")


def test_appeal_window_is_six_months(app, people, article, session):
    _, st = _removed_with_statement(app, people, article, session)
    with uow(app) as s:
        s.get(Statement, st.id).created_at = utcnow() - timedelta(days=183)
    with pytest.raises(BadInput) as exc, uow(app) as s:
        appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="Too late, I know.")
    assert "six months" in exc.value.message
    with uow(app) as s:
        s.get(Statement, st.id).created_at = utcnow() - timedelta(days=180)
    with uow(app) as s:
        appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="Just in time, I hope.")


def test_reversed_ban_is_lifted_at_once(app, people, article, session):
    with uow(app) as s:
        sanctions.sanction(s, s.merge(people["mod"]), user_id=people["ann"].id, kind="ban", rule="abuse")
    st = session.scalars(select(Statement).where(Statement.user_id == people["ann"].id)).one()
    with uow(app) as s:
        a = appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="I never wrote anything abusive.")
    with uow(app) as s:
        appeals.decide(s, s.merge(people["mod2"]), appeal_id=a.id, outcome="reversed",
                       answer="The ban was a mistake; it is lifted.")
    assert post(app, people["ann"], article, "Thank you.").state == "published"


def test_upheld_appeal_changes_nothing_but_answers(app, people, article, session):
    c, st = _removed_with_statement(app, people, article, session)
    with uow(app) as s:
        a = appeals.file(s, s.merge(people["ann"]), statement_id=st.id, text="Please look again at it.")
        appeals.decide(s, s.merge(people["mod2"]), appeal_id=a.id, outcome="upheld",
                       answer="It was about the typhoon story, not this one.")
    assert session.get(Comment, c.id).state == "removed"


# --- policy, claims, signals -------------------------------------------------------------------

@pytest.mark.parametrize(
    "toml, message",
    [
        ("thresholds = {abuse = {hold = 0.9, remove = 0.5}}", "must not be above"),  # hold above remove
        ("thresholds = {nonsense = {hold = 0.1, remove = 0.5}}", "unknown rule"),  # unknown rule
        ("premoderate_first_n = -1", "premoderate_first_n"),  # negative count
        ("escalation = [{kind = \"suspension\"}]", "needs days"),  # a suspension without days
        ("this is = not toml", "not valid TOML"),  # broken TOML
    ],
)
def test_bad_policies_are_refused_with_the_place(app, session, toml, message):
    with pytest.raises(BadInput) as exc:
        policy.parse_toml(toml, base=policy.current(session, app.state.settings))
    assert message in exc.value.message


def test_policy_changes_are_versioned_and_audited(app, people, article, session):
    with uow(app) as s:
        cfg = policy.parse_toml('premoderate_first_n = 1\nbanned_words = ["cretin"]',
                                base=policy.current(s, app.state.settings))
        policy.save(s, s.merge(people["boss"]), cfg, note="sensitive week")
    assert "policy:changed" in names(session)
    assert post(app, people["ann"], article, "first ever comment").state == "held"  # first N held
    assert post(app, people["ann"], article, "second comment").state == "published"
    assert post(app, people["ann"], article, "What a CR3TIN.").state in ("removed", "held")


def test_banned_words_match_obfuscations_and_not_inside_words(app, session):
    hits = policy.match_words("You CRETIN, you cretinous fool", ["cretin"])
    assert [(h.start, h.end) for h in hits] == [(4, 10)]


def test_claimed_items_are_not_shown_to_another_moderator(app, people, article, session):
    app.state.settings.hold_everything = True
    ids = [post(app, people["ann"], article, f"held {i}").id for i in range(3)]
    with uow(app) as s:
        mine = moderation.queue(s, s.merge(people["mod"]), limit=2, claim=True)
    assert len(mine) == 2
    with uow(app) as s:
        theirs = moderation.queue(s, s.merge(people["mod2"]), claim=True)
    assert {c.id for c in theirs} == set(ids) - {c.id for c in mine}
    with pytest.raises(BadInput), uow(app) as s:
        moderation.decide(s, s.merge(people["mod2"]), comment_id=mine[0].id, action="approve", rule=None)


def test_evasion_signals_are_shown_not_acted_on(app, people, article, session):
    same = Origin(ip_hash="ip-1", device_hash="dev-1")
    post(app, people["ann"], article, "from the same laptop", origin=same)
    with uow(app) as s:
        sanctions.sanction(s, s.merge(people["mod"]), user_id=people["ann"].id, kind="ban", rule="abuse")
    c = post(app, people["bob"], article, "new account, same laptop", origin=same)
    assert c.state == "published"  # never acted on automatically
    signals = moderation.evasion_signals(session, session.merge(people["bob"]))
    assert signals[0]["user"].username == "ann" and signals[0]["sanction"] == "ban"
    assert set(signals[0]["why"]) == {"same device", "same network address"}
