import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.errors import BadInput, NotFound, RateLimited, Sanctioned, TooLarge
from remarks.models import Article, AuditEvent, CheckRecord, Decision
from remarks.services import comments, moderation, policy, sanctions, threads


@pytest.fixture
def article(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        a = Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed.")
        s.add(a)
    return a


def post(app, user, article, text, **kw):
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        kw.setdefault("per_minute", st.comments_per_minute)
        kw.setdefault("policy", policy.current(s, st))
        return comments.submit_comment(s, s.merge(user), article_id=article.id, text=text, pipeline=app.state.pipeline,
                                       max_chars=st.max_comment_chars, **kw)


def test_a_civil_comment_is_published_with_checks_decision_and_audit(app, make_user, article, session):
    ann = make_user("ann")
    c = post(app, ann, article, "The inquiry should name who ignored the warning.")
    assert c.state == "published"
    assert {r.rule for r in session.scalars(select(CheckRecord).where(CheckRecord.comment_id == c.id))} == {
        "abuse", "promotion"}
    d = session.scalars(select(Decision).where(Decision.comment_id == c.id)).one()
    assert d.automatic and d.action == "publish"
    names = session.scalars(select(AuditEvent.name).where(AuditEvent.subject_id == c.id,
                                                          AuditEvent.subject_type == "comment")).all()
    assert names == ["comment:created", "comment:published"]


def test_an_obscene_comment_is_held_and_cites_abuse(app, make_user, article, session):
    c = post(app, make_user("bob"), article, "What a load of bullshit from a fucking idiot")
    assert c.state in ("held", "removed")
    d = session.scalars(select(Decision).where(Decision.comment_id == c.id)).one()
    assert d.rule == "abuse"


@pytest.mark.parametrize(
    "text, error",
    [
        ("", BadInput),  # empty
        ("   \n\t ", BadInput),  # only whitespace
        ("hello\x00world", BadInput),  # a NUL byte: binary, not text
        ("bell\x07", BadInput),  # another control character
        ("x" * 5001, TooLarge),  # over the 5,000 character limit
        (b"bytes", BadInput),  # not a string at all
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_stored(app, make_user, article, session, text, error):
    ann = make_user("ann")
    with pytest.raises(error) as exc:
        post(app, ann, article, text)
    assert exc.value.message
    assert session.scalar(select(AuditEvent).where(AuditEvent.name == "comment:created")) is None


def test_text_is_stored_as_typed_in_nfc(app, make_user, article):
    c = post(app, make_user("ann"), article, "Cafe\u0301 <b>owners</b> & \"quotes\"\nsecond line")
    assert c.text == "Caf\u00e9 <b>owners</b> & \"quotes\"\nsecond line"


def test_exactly_the_limit_is_accepted(app, make_user, article):
    assert post(app, make_user("ann"), article, "y" * 5000).id


def test_reply_needs_a_published_parent_under_the_same_article(app, make_user, article):
    ann = make_user("ann")
    parent = post(app, ann, article, "First!")
    reply = post(app, make_user("bob"), article, "Agreed.", parent_id=parent.id)
    assert reply.parent_id == parent.id
    with pytest.raises(BadInput):
        post(app, ann, article, "reply to nothing", parent_id=99999)


def test_unknown_article(app, make_user):
    with pytest.raises(NotFound):
        post(app, make_user("ann"), Article(id=4242), "hello")


def test_rate_limit(app, make_user, article):
    ann = make_user("ann")
    for i in range(3):
        post(app, ann, article, f"comment {i}", per_minute=3)
    with pytest.raises(RateLimited):
        post(app, ann, article, "one too many", per_minute=3)


def test_idempotency_key_never_duplicates(app, make_user, article, session):
    ann = make_user("ann")
    first = post(app, ann, article, "only once", idempotency_key="k-1")
    again = post(app, ann, article, "only once", idempotency_key="k-1")
    assert first.id == again.id
    with pytest.raises(BadInput):
        post(app, make_user("bob"), article, "not yours", idempotency_key="k-1")


def test_banned_user_is_refused_with_why(app, make_user, article):
    ann, mod = make_user("ann"), make_user("mod", role="moderator")
    c = post(app, ann, article, "buy cheap pills at www.pills.example.com")
    with dbmod.unit_of_work(app.state.sessions) as s:
        moderation.decide(s, s.merge(mod), comment_id=c.id, action="remove", rule="promotion", reason="spam")
        sanctions.sanction(s, s.merge(mod), user_id=ann.id, kind="ban", rule="promotion", reason="spam links")
    with pytest.raises(Sanctioned) as exc:
        post(app, ann, article, "let me back in")
    assert "banned" in exc.value.message and "promotion" in exc.value.message and "permanent" in exc.value.message


def test_suspension_says_until_when_and_ends(app, make_user, article, session):
    ann, mod = make_user("ann"), make_user("mod", role="moderator")
    with dbmod.unit_of_work(app.state.sessions) as s:
        row = sanctions.sanction(s, s.merge(mod), user_id=ann.id, kind="suspension", rule="attack", days=2)
        until = row.ends_at
    with pytest.raises(Sanctioned) as exc:
        post(app, ann, article, "hello")
    assert "suspended" in exc.value.message and until.strftime("%d %B %Y") in exc.value.message
    with dbmod.unit_of_work(app.state.sessions) as s:  # lift it: the user may post again
        for sanction_row in s.merge(ann).sanctions:
            sanction_row.lifted_at = sanction_row.created_at
    assert post(app, ann, article, "back again").state == "published"


def test_a_warning_does_not_stop_posting(app, make_user, article):
    ann, mod = make_user("ann"), make_user("mod", role="moderator")
    with dbmod.unit_of_work(app.state.sessions) as s:
        sanctions.sanction(s, s.merge(mod), user_id=ann.id, kind="warning", rule="offtopic")
    assert post(app, ann, article, "on topic now").state == "published"


def test_removed_comments_and_their_replies_leave_the_thread(app, make_user, article, session):
    ann, bob, mod = make_user("ann"), make_user("bob"), make_user("mod", role="moderator")
    parent = post(app, ann, article, "A parent comment")
    post(app, bob, article, "A reply", parent_id=parent.id)
    with dbmod.unit_of_work(app.state.sessions) as s:
        moderation.decide(s, s.merge(mod), comment_id=parent.id, action="remove", rule="attack")
    assert threads.thread(session, session.get(Article, article.id), viewer=None) == []


def test_only_moderators_decide_and_removal_cites_a_rule(app, make_user, article):
    ann, mod = make_user("ann"), make_user("mod", role="moderator")
    c = post(app, ann, article, "hello")
    with pytest.raises(Exception) as exc, dbmod.unit_of_work(app.state.sessions) as s:
        moderation.decide(s, s.merge(ann), comment_id=c.id, action="remove", rule="abuse")
    assert exc.value.status == 403
    with pytest.raises(BadInput), dbmod.unit_of_work(app.state.sessions) as s:
        moderation.decide(s, s.merge(mod), comment_id=c.id, action="remove", rule=None)
