"""The moderator desk in Traditional Chinese: a moderator whose browser asks for zh-TW reads the queue and the
policy page in Chinese, and the desk's pages show no English interface text (the comments, names, article
titles, scores' evidence and the policy's TOML are content)."""

import html
import re

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import Appeal, Article, Comment, Decision, Notification, Publisher, Report, Sanction, Statement, User
from remarks.moderation import rules
from remarks.services import appeals, comments, demo, moderation, policy, sanctions
from i18n_support import ALLOWED, english_words
from markupsafe import escape
from support import csrf_of, login

ZH = {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"}
# Technical names the Chinese interface keeps as they are.
KEPT = {"TOML", "CSV", "JSONL", "DSA", "Webhook", "EEA", "StGB", "SMTP"}


def content(app) -> list[str]:
    """What people wrote or the site stored (names, stories, comments, statements, messages, reasons,
    the rules' keys); longest first, so that a comment is taken out before the title it contains."""
    with app.state.sessions() as s:
        found = [*s.scalars(select(User.display_name)), *s.scalars(select(Publisher.name)),
                 *s.scalars(select(Article.title)), *s.scalars(select(Statement.facts)),
                 *s.scalars(select(Notification.subject)), *s.scalars(select(Notification.body)),
                 *s.scalars(select(Decision.reason)),
                 *s.scalars(select(Report.explanation)), *s.scalars(select(Appeal.text)),
                 *s.scalars(select(Sanction.reason)),
                 *rules.table()]
        for text in s.scalars(select(Comment.text)):
            found += [text, text[:300]]
    return sorted({t for t in found if t}, key=len, reverse=True)


def desk_english(html: str, stored: list[str]) -> list[str]:
    for text in stored:
        html = html.replace(str(escape(text)), "")
    # Not interface text: code, keys, the checks' model names, the held text with its evidence.
    html = re.sub(r"<code>.*?</code>|<kbd>.*?</kbd>|<small class=\"model\">.*?</small>|<mark .*?</mark>", "", html,
                  flags=re.S)
    return [w for w in english_words(html) if w not in KEPT]


@pytest.fixture
def seeded(app):
    """The demo, and on the desk: a held comment, a removal with its appeal, a reader's report, a suspension."""
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)
        s.flush()
        reader = s.scalars(select(User).where(User.username == "reader")).one()
        mod = s.scalars(select(User).where(User.username == "moderator")).one()
        other = s.scalars(select(User).where(User.username == "harbourwatcher")).one()
        art = s.scalars(select(Article).order_by(Article.id)).first()
        mk = dict(article_id=art.id, pipeline=app.state.pipeline, max_chars=5000, per_minute=100)
        removed = comments.submit_comment(s, reader, text="A remark a moderator removes.",
                                          policy=policy.current(s, st), **mk)
        moderation.decide(s, mod, comment_id=removed.id, action="remove", rule="offtopic")
        statement = s.scalars(select(Statement).where(Statement.comment_id == removed.id)).one()
        appeals.file(s, reader, statement_id=statement.id, text="Please look at this again.")
        reported = comments.submit_comment(s, reader, text="A remark a reader reports.",
                                           policy=policy.current(s, st), **mk)
        s.add(Report(comment_id=reported.id, reporter_id=other.id, reason="illegal",
                     explanation="It defames a named person."))
        sanctions.sanction(s, mod, user_id=other.id, kind="suspension", rule="abuse", days=3)
        st.hold_everything = True
        comments.submit_comment(s, reader, text="A remark that waits for a moderator.",
                                policy=policy.current(s, st), **mk)
    st.hold_everything = False


def test_a_moderator_asking_for_zh_tw_reads_the_queue_and_the_policy_in_chinese(client, seeded):
    login(client, "editor", "editor-demo-pass")  # an administrator: the policy page is theirs
    queue = client.get("/desk", headers=ZH)
    assert queue.status_code == 200
    assert '<html lang="zh-TW">' in queue.text
    assert re.search(r"<h1>審核待審區 <span class=\"count\">（\d+ 則暫留）</span></h1>", queue.text), queue.text[:2000]
    assert "Moderation queue" not in queue.text
    policy = client.get("/desk/policy", headers=ZH)
    assert policy.status_code == 200
    assert "<h1>審核政策</h1>" in policy.text
    assert "暫留門檻" in policy.text and "儲存政策" in policy.text and "人身攻擊" in policy.text
    assert "Save policy" not in policy.text and "Personal attack" not in policy.text
    toml = re.search(r'<textarea id="toml" name="toml"[^>]*>(.*?)</textarea>', policy.text, re.S).group(1)
    saved = client.post("/desk/policy", headers=ZH, data={"toml": html.unescape(toml), "note": "",
                                                           "csrf": csrf_of(policy.text)})
    assert "政策已儲存" in saved.text  # what the desk says after an action, in the moderator's language
    english = client.get("/desk/policy", headers={"Accept-Language": "en"}).text
    assert "<h1>Moderation policy</h1>" in english and "Personal attack" in english


def test_the_desk_pages_in_zh_tw_show_no_english_interface_text(app, client, seeded):
    login(client, "editor", "editor-demo-pass")
    with_a_user = client.get("/desk", headers=ZH).text
    user = re.search(r'href="(/desk/users/\d+)"', with_a_user)
    assert 'class="queue-item"' in with_a_user and user  # something waits, by someone
    pages = ["/desk", "/desk/reports", "/desk/reports?kind=illegal", "/desk/appeals", "/desk/stats",
             "/desk/policy", "/desk/outbox", "/desk/webhooks", user.group(1)]
    stored = content(app)
    for path in pages:
        page = client.get(path, headers=ZH)
        assert page.status_code == 200, path
        english = desk_english(page.text, stored)
        assert not english, (path, english[:20])
        heading = re.search(r"<h1>(.*?)</h1>", page.text, re.S).group(1)  # (not read by english_words)
        for text in stored:
            heading = heading.replace(str(escape(text)), "")
        assert not [w for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>|@\w+", "", heading))
                    if w not in ALLOWED | KEPT], (path, heading)
