"""The reader's side: Respect, sorting, featured comments, deleting your own comment, muting,
notifications (replies, mentions, featured) and the public profile, through the pages and the API."""

import pytest

from remarks import db as dbmod
from remarks.models import Article, AuditEvent, Comment
from sqlalchemy import select
from support import bearer, csrf_of, login


@pytest.fixture
def article(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        a = Article(slug="harbour", title="Harbour wall to be rebuilt", body="The council will rebuild the wall.")
        s.add(a)
        s.flush()
        return a.id


def post(client, headers, article, text, parent_id=None):
    r = client.post(f"/api/v1/articles/{article}/comments", headers=headers, json={"text": text, "parent_id": parent_id})
    assert r.status_code == 201 and r.json()["state"] == "published", r.text
    return r.json()["id"]


def test_respect_once_per_reader_counted_and_sorted(client, make_user, article):
    for u in ("ann", "bob", "cat"):
        make_user(u)
    ann, bob, cat = (bearer(client, u) for u in ("ann", "bob", "cat"))
    first = post(client, ann, article, "The wall was always too low.")
    second = post(client, bob, article, "The council should have acted years ago.")
    for who in (ann, cat, cat):  # cat twice: counted once
        r = client.put(f"/api/v1/comments/{second}/respect", headers=who, json={"on": True})
        assert r.status_code == 200
    assert r.json() == {"comment_id": second, "reactions": 2, "reacted": True}
    own = client.put(f"/api/v1/comments/{first}/respect", headers=ann, json={"on": True})
    assert own.status_code == 400  # not for your own comment
    oldest = client.get(f"/api/v1/articles/{article}").json()["comments"]
    assert [c["id"] for c in oldest] == [first, second]
    most = client.get(f"/api/v1/articles/{article}?sort=reactions", headers=cat).json()["comments"]
    assert [c["id"] for c in most] == [second, first] and most[0]["reactions"] == 2 and most[0]["reacted"]
    newest = client.get(f"/api/v1/articles/{article}?sort=newest").json()["comments"]
    assert [c["id"] for c in newest] == [second, first]
    assert client.get(f"/api/v1/articles/{article}?sort=loudest").status_code == 422
    # Taking it back.
    r = client.put(f"/api/v1/comments/{second}/respect", headers=cat, json={"on": False})
    assert r.json()["reactions"] == 1
    # The page: the sort is kept in the URL and the buttons say whether you pressed them.
    login(client, "cat")
    page = client.get("/articles/harbour?sort=reactions")
    assert '<strong aria-current="true">Most respected</strong>' in page.text
    assert 'name="back" value="/articles/harbour?sort=reactions&amp;page=1"' in page.text
    r = client.post(f"/comments/{second}/respect", data={"csrf": csrf_of(page.text), "on": "1",
                                                          "back": "/articles/harbour?sort=reactions&page=1"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/articles/harbour?sort=reactions&page=1#c{second}"
    page = client.get("/articles/harbour?sort=reactions")
    assert page.text.index(f'id="c{second}"') < page.text.index(f'id="c{first}"')
    assert 'aria-pressed="true">Respect <span class="respect-count" data-comment="%d">2</span>' % second in page.text


def test_sort_by_most_replies(client, make_user, article):
    make_user("ann"), make_user("bob")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    quiet = post(client, ann, article, "The wall needs a proper survey first.")
    busy = post(client, ann, article, "Who will pay for the new harbour wall?")
    post(client, bob, article, "The council, from the flood fund.", parent_id=busy)
    post(client, bob, article, "And the port authority.", parent_id=busy)
    got = client.get(f"/api/v1/articles/{article}?sort=replies").json()["comments"]
    assert [c["id"] for c in got] == [busy, quiet] and len(got[0]["replies"]) == 2


def test_delete_own_comment_leaves_a_placeholder_only_over_replies(app, client, make_user, article):
    make_user("ann"), make_user("bob")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    lone = post(client, ann, article, "A comment nobody answered about the wall.")
    parent = post(client, ann, article, "A comment someone answered about the wall.")
    reply = post(client, bob, article, "An answer about the wall.", parent_id=parent)
    assert client.delete(f"/api/v1/comments/{parent}", headers=bob).status_code == 403  # not yours
    for cid in (lone, parent):
        assert client.delete(f"/api/v1/comments/{cid}", headers=ann).status_code == 204
    tree = client.get(f"/api/v1/articles/{article}").json()["comments"]
    assert [c["id"] for c in tree] == [parent]
    assert tree[0]["state"] == "deleted" and tree[0]["text"] == "" and tree[0]["author"] == ""
    assert tree[0]["replies"][0]["id"] == reply
    page = client.get("/articles/harbour").text
    assert "This comment was deleted by its author." in page and "A comment someone answered" not in page
    assert "A comment nobody answered" not in page
    # Kept for moderators, with its text, and audited.
    with app.state.sessions() as s:
        kept = s.get(Comment, parent)
        assert kept.state == "deleted" and kept.text == "A comment someone answered about the wall."
        assert s.scalar(select(AuditEvent).where(AuditEvent.name == "comment:deleted",
                                                 AuditEvent.subject_id == parent)) is not None
    assert client.delete(f"/api/v1/comments/{parent}", headers=ann).status_code == 404  # already gone


def test_featured_by_moderators_shown_first_and_author_told(client, make_user, article):
    make_user("ann"), make_user("bob"), make_user("mod", role="moderator")
    ann, bob, mod = bearer(client, "ann"), bearer(client, "bob"), bearer(client, "mod")
    post(client, bob, article, "First, an ordinary comment about the wall.")
    pick = post(client, ann, article, "The wall failed because the 1998 survey was ignored.")
    assert client.put(f"/api/v1/moderation/comments/{pick}/featured", headers=bob, json={"on": True}).status_code == 403
    assert client.put(f"/api/v1/moderation/comments/{pick}/featured", headers=mod, json={"on": True}).status_code == 204
    art = client.get(f"/api/v1/articles/{article}").json()
    assert [f["id"] for f in art["featured"]] == [pick]
    page = client.get("/articles/harbour").text
    assert page.index('id="featured-title"') < page.index('class="thread"')
    told = client.get("/api/v1/me/notifications", headers=ann).json()
    assert [a["kind"] for a in told] == ["featured"] and told[0]["comment_id"] == pick


def test_replies_and_mentions_notify_and_the_bell_counts(client, make_user, article):
    make_user("ann"), make_user("bob"), make_user("cat")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    first = post(client, ann, article, "The wall should be higher this time.")
    post(client, bob, article, "Agreed, and @cat said the same at the meeting.", parent_id=first)
    post(client, bob, article, "Ask me@cat about the wall.")  # not a mention
    assert [a["kind"] for a in client.get("/api/v1/me/notifications", headers=ann).json()] == ["reply"]
    cat = client.get("/api/v1/me/notifications", headers=bearer(client, "cat")).json()
    assert [a["kind"] for a in cat] == ["mention"] and cat[0]["actor"] == "Bob"
    login(client, "cat")
    assert '<span class="bell-count">1</span>' in client.get("/").text
    seen = client.get("/notifications").text
    assert "Bob mentioned you" in seen
    assert 'class="bell-count"' not in client.get("/").text  # read now


def test_mute_collapses_and_silences(client, make_user, article):
    make_user("ann"), make_user("bob")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    loud = post(client, bob, article, "Bob's view on the wall, again.")
    bob_id = client.get("/api/v1/me", headers=bob).json()["id"]
    assert client.put(f"/api/v1/me/mutes/{bob_id}", headers=ann, json={"on": True}).status_code == 204
    got = client.get(f"/api/v1/articles/{article}", headers=ann).json()["comments"]
    assert got[0]["id"] == loud and got[0]["muted"]
    assert not client.get(f"/api/v1/articles/{article}").json()["comments"][0]["muted"]  # only for ann
    login(client, "ann")
    assert "A comment by Bob, whom you muted" in client.get("/articles/harbour").text
    mine = post(client, ann, article, "My own view on the wall.")
    post(client, bob, article, "A reply ann will not be told about.", parent_id=mine)
    assert client.get("/api/v1/me/notifications", headers=ann).json() == []
    ann_id = client.get("/api/v1/me", headers=ann).json()["id"]
    assert client.put(f"/api/v1/me/mutes/{ann_id}", headers=ann, json={"on": True}).status_code == 400


def test_public_profile_and_opt_out(client, make_user, article):
    make_user("ann")
    ann = bearer(client, "ann")
    post(client, ann, article, "A published comment on the harbour.")
    page = client.get("/users/ann")
    assert page.status_code == 200 and "Member since" in page.text and "A published comment on the harbour." in page.text
    login(client, "ann")
    me = client.get("/me")
    r = client.post("/me/profile", data={"csrf": csrf_of(me.text), "public": "0"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/users/ann")
    assert "keeps their list of comments private" in page.text and "A published comment" not in page.text
    assert "<dd>1</dd>" in page.text  # the count stays
    assert client.get("/users/nobody").status_code == 404


def test_reader_forms_need_csrf_and_a_log_in(client, make_user, article):
    make_user("ann")
    cid = post(client, bearer(client, "ann"), article, "A comment about the harbour wall.")
    r = client.post(f"/comments/{cid}/respect", data={"on": "1"}, follow_redirects=False)
    assert r.status_code == 403
    page = client.get("/login")  # a form page: the anonymous reader has a CSRF cookie now
    r = client.post(f"/comments/{cid}/respect", data={"on": "1", "csrf": csrf_of(page.text), "back": "/articles/harbour"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = client.post(f"/comments/{cid}/respect", data={"on": "1", "csrf": csrf_of(page.text), "back": "//evil.example"},
                    follow_redirects=False)
    assert r.headers["location"].startswith("/login?next=/")


def test_notifications_are_emailed_through_the_outbox_per_kind_and_as_a_digest(app, client, make_user, article):
    from datetime import timedelta

    from remarks.models import Alert, Notification, User
    from remarks.models.base import utcnow
    from remarks.services import alerts, notify

    make_user("ann"), make_user("bob"), make_user("cat")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    first = post(client, ann, article, "The wall should be higher this time.")
    post(client, bob, article, "Agreed, @cat, do you remember the 1998 survey?", parent_id=first)
    with app.state.sessions() as s:
        mail = {(n.user.username, n.kind): n for n in s.scalars(select(Notification)).all()}
        assert set(mail) == {("ann", "reply"), ("cat", "mention")}
        assert "Bob replied to your comment" in mail["ann", "reply"].subject
        assert "/articles/harbour#c" in mail["ann", "reply"].body and "1998 survey" in mail["ann", "reply"].body
    # ann turns reply e-mails off and chooses the digest for the rest, on the notifications page.
    login(client, "ann")
    page = client.get("/notifications")
    assert 'name="email" value="reply" checked' in page.text
    r = client.post("/notifications/settings", data={"csrf": csrf_of(page.text), "email": ["mention", "featured"],
                                                      "digest": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'name="email" value="reply">' in client.get("/notifications").text
    with app.state.sessions() as s:
        assert not notify.wants_email(s, s.scalar(select(User.id).where(User.username == "ann")), "reply")
    post(client, bob, article, "Another answer to you, @ann.", parent_id=first)
    with app.state.sessions() as s:
        waiting = s.scalars(select(Alert).join(User, User.id == Alert.user_id)
                            .where(User.username == "ann", Alert.emailed_at.is_(None))).all()
        assert len(waiting) == 1  # the reply waits for the digest (a reply, so no second mention alert)
        assert alerts.queue_digests(s, base_url="http://news.example") == 1
        assert alerts.queue_digests(s, base_url="http://news.example") == 0  # once a day
        digest = s.scalar(select(Notification).where(Notification.kind == "digest"))
        assert digest.subject == "Your daily digest: 1 new" and "http://news.example/articles/harbour#c" in digest.body
        s.commit()
    post(client, bob, article, "And one more for @ann, on the wall.")
    with app.state.sessions() as s:
        assert alerts.queue_digests(s) == 0  # the last digest is less than a day old
        assert alerts.queue_digests(s, now=utcnow() + timedelta(days=1, minutes=1)) == 1


def test_download_your_data_and_delete_the_account(app, client, make_user, article):
    import json


    make_user("ann"), make_user("bob")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    post(client, ann, article, "A comment that stays, anonymised, about the wall.")
    answered = post(client, bob, article, "Bob's comment that ann answers.")
    post(client, ann, article, "Ann's reply, about the wall too.", parent_id=answered)
    client.put(f"/api/v1/comments/{answered}/respect", headers=ann, json={"on": True})
    data = client.get("/api/v1/me/data", headers=ann).json()
    assert data["account"]["username"] == "ann" and "password_hash" not in data["account"]
    assert [c["text"] for c in data["comments"]][:1] == ["A comment that stays, anonymised, about the wall."]
    assert data["reactions"][0]["comment_id"] == answered and data["log_ins"] and "token_hash" not in data["log_ins"][0]
    login(client, "ann")
    download = client.get("/me/data.json")
    assert download.headers["content-disposition"].startswith("attachment") and json.loads(download.text)["comments"]
    form = client.get("/me/delete")
    assert "as the law allows" in form.text
    wrong = client.post("/me/delete", data={"csrf": csrf_of(form.text), "password": "nope", "comments": "anonymise"})
    assert wrong.status_code == 400 and "not your password" in wrong.text
    r = client.post("/me/delete", data={"csrf": csrf_of(form.text), "password": "correct-horse-battery",
                                         "comments": "anonymise"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/articles/harbour").text
    assert "A comment that stays, anonymised" in page and "Former reader" in page and ">Ann<" not in page
    assert client.get("/api/v1/me", headers=ann).status_code == 401  # every log-in ended
    assert client.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"}).status_code == 401
    arts = client.get(f"/api/v1/articles/{article}").json()["comments"]
    assert next(c for c in arts if c["id"] == answered)["reactions"] == 0


def test_delete_the_account_removing_the_comments(app, client, make_user, article):
    make_user("cat"), make_user("bob")
    cat, bob = bearer(client, "cat"), bearer(client, "bob")
    gone = post(client, cat, article, "Cat's comment that leaves with her.")
    post(client, bob, article, "Bob answers cat.", parent_id=gone)
    r = client.post("/api/v1/me/deletion", headers=cat, json={"password": "correct-horse-battery", "comments": "remove"})
    assert r.status_code == 204
    tree = client.get(f"/api/v1/articles/{article}").json()["comments"]
    assert tree[0]["state"] == "deleted" and tree[0]["text"] == "" and tree[0]["replies"][0]["text"] == "Bob answers cat."
    with app.state.sessions() as s:
        assert s.get(Comment, gone).text == ""  # no moderation record needs it: erased
        assert s.scalar(select(AuditEvent).where(AuditEvent.name == "user:deleted")).data == {"comments": "remove"}


def test_edit_within_the_window_goes_through_the_pipeline_again(app, client, make_user, article):
    from remarks.models import CommentRevision

    make_user("ann"), make_user("bob"), make_user("mod", role="moderator")
    ann, bob = bearer(client, "ann"), bearer(client, "bob")
    cid = post(client, ann, article, "The wall should be rebuilt higher.")
    assert client.put(f"/api/v1/comments/{cid}", headers=bob, json={"text": "Hijacked."}).status_code == 403
    r = client.put(f"/api/v1/comments/{cid}", headers=ann, json={"text": "The wall should be rebuilt two metres higher."})
    assert r.status_code == 200 and r.json()["state"] == "published"
    got = client.get(f"/api/v1/articles/{article}", headers=ann).json()["comments"][0]
    assert got["text"] == "The wall should be rebuilt two metres higher." and got["edited_at"] and got["editable"]
    # An edit that adds an insult is held, like a new post would be: it leaves the public page.
    r = client.put(f"/api/v1/comments/{cid}", headers=ann, json={"text": "The council are fucking idiots about the wall."})
    assert r.status_code == 200 and r.json()["state"] == "held", r.text
    assert client.get(f"/api/v1/articles/{article}").json()["comments"] == []
    # Moderators see it in the queue with the earlier texts; the audit log keeps them too.
    login(client, "mod")
    desk = client.get("/desk").text
    assert "2 earlier versions" in desk and "The wall should be rebuilt higher." in desk
    with app.state.sessions() as s:
        revs = s.scalars(select(CommentRevision).where(CommentRevision.comment_id == cid)
                         .order_by(CommentRevision.id)).all()
        assert [(r.text, r.state) for r in revs] == [("The wall should be rebuilt higher.", "published"),
                                                     ("The wall should be rebuilt two metres higher.", "published")]
        events = s.scalars(select(AuditEvent).where(AuditEvent.name == "comment:edited")).all()
        assert events[-1].data["previous_text"] == "The wall should be rebuilt two metres higher."
    assert client.put(f"/api/v1/comments/{cid}", headers=ann, json={"text": "x" * 6000}).status_code == 413
    assert client.put(f"/api/v1/comments/{cid}", headers=ann, json={"text": "   "}).status_code == 400


def test_edit_window_closes_and_the_page_marks_edited(app, client, make_user, article):
    from datetime import timedelta

    from remarks.models.base import utcnow

    make_user("ann")
    ann = bearer(client, "ann")
    cid = post(client, ann, article, "An early view of the harbour plan.")
    login(client, "ann")
    page = client.get("/articles/harbour")
    assert f'action="/comments/{cid}/edit"' in page.text
    r = client.post(f"/comments/{cid}/edit", data={"csrf": csrf_of(page.text), "text": "A revised view of the harbour plan.",
                                                   "back": "/articles/harbour?sort=oldest&page=1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#c{cid}")
    page = client.get("/articles/harbour")
    assert "A revised view" in page.text and '<span class="badge edited"' in page.text
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.get(Comment, cid).created_at = utcnow() - timedelta(minutes=11)
    assert f'action="/comments/{cid}/edit"' not in client.get("/articles/harbour").text
    r = client.put(f"/api/v1/comments/{cid}", headers=ann, json={"text": "Too late to change this."})
    assert r.status_code == 400 and "10 minutes" in r.json()["error"]["message"]
    r = client.post(f"/comments/{cid}/edit", data={"csrf": csrf_of(page.text), "text": "Too late.", "back": "/articles/harbour"},
                    follow_redirects=False)
    assert r.status_code == 303 and "problem=" in r.headers["location"]


def test_a_held_reply_notifies_once_a_moderator_approves_it(client, make_user, article):
    make_user("ann"), make_user("bob"), make_user("mod", role="moderator")
    ann, bob, mod = bearer(client, "ann"), bearer(client, "bob"), bearer(client, "mod")
    first = post(client, ann, article, "The harbour wall needs a survey.")
    r = client.post(f"/api/v1/articles/{article}/comments", headers=bob,
                    json={"text": "See www.survey-example.com and www.wall-example.com", "parent_id": first})
    assert r.json()["state"] == "held"
    assert client.get("/api/v1/me/notifications", headers=ann).json() == []
    client.post(f"/api/v1/moderation/comments/{r.json()['id']}/decisions", headers=mod, json={"action": "approve"})
    assert [a["kind"] for a in client.get("/api/v1/me/notifications", headers=ann).json()] == ["reply"]
