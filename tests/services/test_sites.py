"""Many sites in one installation (#13): the migration that brought them, granting and revoking,
per-site policies, and which site an article belongs to."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select, text

from remarks import db as dbmod
from remarks.errors import BadInput, Conflict
from remarks.models import Article, PolicyVersion, Publisher, User
from remarks.services import policy, publishing, sites

from conftest import PG_URL, _backends, _url_for


@pytest.fixture(params=_backends())
def empty_url(request, tmp_path):
    """A database with no tables yet, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    name = "m_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return _url_for(name)


def test_the_migration_puts_an_existing_installation_in_the_default_site(empty_url):
    dbmod.upgrade(empty_url, "0009")  # an installation from before sites
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, created_at, "
                          "trusted_flagger, profile_public, locale, daily_digest) VALUES ('mo', 'Mo', 'x', "
                          "'moderator', CURRENT_TIMESTAMP, false, true, '', false)"))
        for slug in ("old-1", "old-2"):
            conn.execute(text("INSERT INTO articles (slug, title, standfirst, body, byline, section, published_at, "
                              f"thread_version) VALUES ('{slug}', 'Old', '', 'Body', '', 'News', CURRENT_TIMESTAMP, 0)"))
        conn.execute(text("INSERT INTO policy_versions (data, note, created_at) VALUES ('{}', 'old', CURRENT_TIMESTAMP)"))
    engine.dispose()
    dbmod.upgrade(empty_url)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(empty_url))
    with factory() as s:
        default = sites.default_site(s)
        assert s.scalars(select(Article.publisher_id)).all() == [default.id, default.id]
        assert [a.site for a in s.scalars(select(Article))] == ["default", "default"]
        mo = s.scalar(select(User).where(User.username == "mo"))
        assert mo.all_sites is True and sites.scope_of(s, mo).every_site  # keeps working on everything
        assert s.scalar(select(PolicyVersion.publisher_id)) is None  # the installation's policy, as before
        s.add(Article(slug="new", title="New", body="Body"))
        s.flush()
        assert s.scalar(select(Article.publisher_id).where(Article.slug == "new")) == default.id
    factory.kw["bind"].dispose()


def test_a_grant_scopes_staff_and_a_revoke_never_widens(app, make_user):
    make_user("mia")
    make_user("chief", role="admin")
    with dbmod.unit_of_work(app.state.sessions) as s:
        a, _ = publishing.create_publisher(s, None, "times")
        b, _ = publishing.create_publisher(s, None, "herald")
        mia = s.scalar(select(User).where(User.username == "mia"))
        chief = s.scalar(select(User).where(User.username == "chief"))
        assert sites.scope_of(s, mia).sites == frozenset()  # a reader works on no site
        sites.grant(s, None, site=a, user=mia, role="moderator")
        sites.grant(s, None, site=b, user=mia, role="moderator")
        assert mia.role == "moderator" and sites.scope_of(s, mia).sites == {a.id, b.id}
        with pytest.raises(Conflict):  # one role per person
            sites.grant(s, None, site=a, user=mia, role="admin")
        sites.revoke(s, None, site=a, user=mia)
        sites.revoke(s, None, site=b, user=mia)
        assert sites.scope_of(s, mia).sites == frozenset()  # nothing left: nothing, not everything
        sites.grant(s, None, site=a, user=chief, role="admin")  # an admin of every site becomes one of "times"
        assert sites.scope_of(s, chief).sites == {a.id}
        with pytest.raises(sites.OutOfScope):
            sites.narrowed(s, chief, "herald")
        with pytest.raises(BadInput):
            sites.check_name("two words")


def test_each_site_has_its_policy_and_falls_back_to_the_installations(app, make_user):
    make_user("chief", role="admin")
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        a, _ = publishing.create_publisher(s, None, "times")
        b, _ = publishing.create_publisher(s, None, "herald")
        chief = s.scalar(select(User).where(User.username == "chief"))
        base = policy.current(s, st)
        policy.save(s, chief, base.model_copy(update={"report_hold_weight": 7.0}))  # the installation's
        policy.save(s, chief, base.model_copy(update={"premoderate_all": True}), site_id=a.id)
        assert policy.current(s, st, a.id).premoderate_all is True
        assert policy.current(s, st, a.id).report_hold_weight == 3.0  # a site's own version is whole
        assert policy.current(s, st, b.id).report_hold_weight == 7.0 and not policy.current(s, st, b.id).premoderate_all
        sites.grant(s, None, site=b, user=chief, role="admin")
        with pytest.raises(sites.OutOfScope):  # an admin of one site changes that site's only
            policy.save(s, chief, base, site_id=a.id)
        with pytest.raises(sites.OutOfScope):
            policy.save(s, chief, base)


def test_the_embed_says_which_site_an_article_belongs_to(app, client):
    app.state.settings.embed_autocreate = True
    with dbmod.unit_of_work(app.state.sessions) as s:
        publishing.create_publisher(s, None, "times")
        publishing.create_publisher(s, None, "herald")
    assert client.get("/embed/budget-2027?title=Budget&site=times").status_code == 200
    assert client.get("/embed/budget-2027?site=herald").status_code == 404  # another site's article
    assert client.get("/embed/anything?site=nowhere").status_code == 404
    assert client.get("/embed/plain-story?title=Plain").status_code == 200
    with app.state.sessions() as s:
        where = {a.slug: a.site for a in s.scalars(select(Article))}
        assert where == {"budget-2027": "times", "plain-story": "default"}
        assert s.scalar(select(Publisher).where(Publisher.name == "default")) is not None
    listed = client.get("/api/v1/articles?site=times").json()
    assert [(x["slug"], x["site"]) for x in listed] == [("budget-2027", "times")]


def test_a_sites_comment_events_go_to_its_own_webhooks(app, make_user):
    from remarks.models import WebhookDelivery
    from remarks.services import comments

    reader = make_user("ria")
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        a, _ = publishing.create_publisher(s, None, "times")
        b, _ = publishing.create_publisher(s, None, "herald")
        hook_a, _ = publishing.add_webhook(s, a, url="http://127.0.0.1:9/a", allow_private=True)
        hook_b, _ = publishing.add_webhook(s, b, url="http://127.0.0.1:9/b", allow_private=True)
        mine = Article(slug="times-1", title="Times story", body="Body.", publisher_id=a.id)
        old = Article(slug="old-1", title="An article of the default site", body="Body.")
        s.add_all([mine, old])
        s.flush()
        mk = dict(pipeline=app.state.pipeline, policy=policy.current(s, st), max_chars=5000, per_minute=100)
        comments.submit_comment(s, s.get(User, reader.id), article_id=mine.id, text="On the Times story.", **mk)
        hooks_of_a = {d.webhook_id for d in s.scalars(select(WebhookDelivery))}
        assert hooks_of_a == {hook_a.id}  # herald's webhook hears nothing of the Times
        comments.submit_comment(s, s.get(User, reader.id), article_id=old.id, text="On the old story.", **mk)
        counts = {h: len(s.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == h)).all())
                  for h in (hook_a.id, hook_b.id)}
        assert counts[hook_b.id] >= 1 and counts[hook_a.id] > counts[hook_b.id]  # the default site's go to all


def test_remove_all_by_a_site_moderator_stays_on_their_site(app, make_user):
    from remarks.services import comments, moderation

    reader = make_user("rex")
    mod = make_user("mods")
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        a, _ = publishing.create_publisher(s, None, "times")
        b, _ = publishing.create_publisher(s, None, "herald")
        sites.grant(s, None, site=a, user=s.get(User, mod.id), role="moderator")
        arts = [Article(slug=f"{p.name}-1", title="Story", body="Body.", publisher_id=p.id) for p in (a, b)]
        s.add_all(arts)
        s.flush()
        mk = dict(pipeline=app.state.pipeline, policy=policy.current(s, st), max_chars=5000, per_minute=100)
        made = [comments.submit_comment(s, s.get(User, reader.id), article_id=art.id, text="A remark here.", **mk)
                for art in arts]
        out = moderation.decide_and_sanction(s, s.get(User, mod.id), comment_id=made[0].id, action="remove",
                                             rule="offtopic", sanction="warning", remove_all=True)
        assert out.sanction is not None and out.removed == 0  # the one on herald stays
        assert [c.state for c in made] == ["removed", "published"]
