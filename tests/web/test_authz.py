"""The authorization matrix: every route of the app x every role, with the expected allow/deny.
The table is checked against the app's own route table, so a new route without a rule fails."""

from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import Article, Report, Statement, User
from remarks.services import accounts, appeals, comments, moderation, policy, sanctions

ROLES = ("anonymous", "commenter", "other", "suspended", "banned", "moderator", "admin")

# Who may use each route:
#   public    everyone; user   anyone logged in (sanctioned too: they read, appeal, log out)
#   poster    logged in and not suspended or banned; owner   only the commenter whose object the ids name
#   moderator / admin   by role; publisher   a publisher's API key (no user session is enough)
PUBLIC, USER, POSTER, OWNER, MODERATOR, ADMIN, PUBLISHER = (
    "public", "user", "poster", "owner", "moderator", "admin", "publisher")

RULES: dict[tuple[str, str], str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/rules.css"): PUBLIC,
    ("GET", "/api/v1/rules"): PUBLIC,
    ("GET", "/articles/{slug}"): PUBLIC,
    ("GET", "/embed/{slug}"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/signup"): PUBLIC,
    ("POST", "/signup"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,  # REMARKS_METRICS_TOKEN closes it in production
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("POST", "/articles/{slug}/comments"): POSTER,
    ("POST", "/articles/{slug}/comments/{comment_id}/report"): POSTER,
    ("GET", "/me"): USER,
    ("POST", "/me/appeals"): OWNER,
    ("GET", "/desk"): MODERATOR,
    ("POST", "/desk/comments/{comment_id}"): MODERATOR,
    ("POST", "/desk/bulk"): MODERATOR,
    ("GET", "/desk/users/{user_id}"): MODERATOR,
    ("POST", "/desk/users/{user_id}/sanctions"): MODERATOR,
    ("GET", "/desk/appeals"): MODERATOR,
    ("POST", "/desk/appeals/{appeal_id}"): MODERATOR,
    ("GET", "/desk/policy"): ADMIN,
    ("POST", "/desk/policy"): ADMIN,
    ("GET", "/desk/outbox"): ADMIN,
    ("GET", "/desk/stats"): MODERATOR,
    ("GET", "/desk/stats/{name}.png"): MODERATOR,
    ("GET", "/desk/stats/{name}.csv"): MODERATOR,
    ("GET", "/desk/audit.jsonl"): ADMIN,
    ("GET", "/desk/audit.csv"): ADMIN,
    ("GET", "/desk/statements/transparency.jsonl"): ADMIN,
    ("GET", "/desk/statements/transparency.csv"): ADMIN,
    ("GET", "/desk/webhooks"): ADMIN,
    ("GET", "/api/v1/articles"): PUBLIC,
    ("GET", "/api/v1/articles/{article_id}"): PUBLIC,
    ("POST", "/api/v1/articles/{article_id}/comments"): POSTER,
    ("POST", "/api/v1/articles/{article_id}/comments/preview"): POSTER,
    ("POST", "/api/v1/comments/{comment_id}/reports"): POSTER,
    ("POST", "/api/v1/session"): PUBLIC,
    ("POST", "/api/v1/session/sso"): PUBLIC,
    ("GET", "/login/oidc"): PUBLIC,
    ("GET", "/login/oidc/callback"): PUBLIC,
    ("GET", "/api/v1/counts"): PUBLIC,
    ("PUT", "/api/v1/moderation/articles/{article_id}/closing"): MODERATOR,
    ("POST", "/desk/articles/{slug}/closing"): MODERATOR,
    ("DELETE", "/api/v1/session"): USER,
    ("GET", "/api/v1/me"): USER,
    ("GET", "/api/v1/me/statements"): USER,
    ("POST", "/api/v1/me/statements/{statement_id}/appeal"): OWNER,
    ("GET", "/api/v1/moderation/queue"): MODERATOR,
    ("POST", "/api/v1/moderation/comments/{comment_id}/decisions"): MODERATOR,
    ("POST", "/api/v1/moderation/users/{user_id}/sanctions"): MODERATOR,
    ("GET", "/api/v1/moderation/appeals"): MODERATOR,
    ("POST", "/api/v1/moderation/appeals/{appeal_id}/decision"): MODERATOR,
    ("GET", "/api/v1/admin/policy"): ADMIN,
    ("PUT", "/api/v1/admin/policy"): ADMIN,
    ("PUT", "/api/v1/publisher/articles/{slug}"): PUBLISHER,
    ("GET", "/api/v1/publisher/articles/{slug}/comments"): PUBLISHER,
    ("POST", "/api/v1/publisher/webhooks"): PUBLISHER,
    ("GET", "/api/v1/publisher/webhooks/{webhook_id}/deliveries"): PUBLISHER,
    # The reader's side (#12)
    ("POST", "/comments/{comment_id}/respect"): USER,
    ("POST", "/comments/{comment_id}/delete"): OWNER,
    ("POST", "/comments/{comment_id}/feature"): MODERATOR,
    ("POST", "/users/{user_id}/mute"): USER,
    ("GET", "/users/{username}"): PUBLIC,
    ("GET", "/notifications"): USER,
    ("POST", "/me/profile"): USER,
    ("POST", "/notifications/settings"): USER,
    ("POST", "/language"): PUBLIC,
    ("GET", "/api/v1/users"): USER,
    ("PUT", "/api/v1/comments/{comment_id}"): OWNER,
    ("POST", "/comments/{comment_id}/edit"): OWNER,
    ("GET", "/articles/{slug}/events"): PUBLIC,  # the live stream: tested in tests/e2e/test_live.py
    ("GET", "/articles/{slug}/comments/fragment"): PUBLIC,  # new comments for the live page: only published ones
    ("GET", "/me/data.json"): USER,
    ("GET", "/me/delete"): USER,
    ("POST", "/me/delete"): USER,
    ("GET", "/api/v1/me/data"): USER,
    ("POST", "/api/v1/me/deletion"): USER,
    ("PUT", "/api/v1/comments/{comment_id}/respect"): USER,
    ("DELETE", "/api/v1/comments/{comment_id}"): OWNER,
    ("PUT", "/api/v1/moderation/comments/{comment_id}/featured"): MODERATOR,
    ("PUT", "/api/v1/me/mutes/{user_id}"): USER,
    ("GET", "/api/v1/me/notifications"): USER,
    ("GET", "/desk/reports"): MODERATOR,
    ("POST", "/desk/reports/{report_id}"): MODERATOR,
    ("POST", "/desk/users/{user_id}/trusted-flagger"): ADMIN,
    ("POST", "/desk/sanctions/{sanction_id}/lift"): MODERATOR,
    ("POST", "/desk/users/{user_id}/notes"): MODERATOR,
    ("GET", "/api/v1/me/reports"): USER,
    ("GET", "/api/v1/moderation/reports"): MODERATOR,
    ("POST", "/api/v1/moderation/reports/{report_id}/decision"): MODERATOR,
    ("GET", "/api/v1/moderation/legal-grounds"): MODERATOR,
    ("POST", "/api/v1/moderation/sanctions/{sanction_id}/lift"): MODERATOR,
    ("GET", "/api/v1/moderation/users/{user_id}/notes"): MODERATOR,
    ("POST", "/api/v1/moderation/users/{user_id}/notes"): MODERATOR,
    ("POST", "/me/password"): USER,
    ("POST", "/me/verification"): USER,
    ("GET", "/email/verify/{token}"): PUBLIC,
    ("GET", "/password/forgot"): PUBLIC,
    ("POST", "/password/forgot"): PUBLIC,
    ("GET", "/password/reset/{token}"): PUBLIC,
    ("POST", "/password/reset/{token}"): PUBLIC,
    ("GET", "/unsubscribe/{token}"): PUBLIC,  # the signed token is the authority
    ("POST", "/unsubscribe/{token}"): PUBLIC,
    ("POST", "/api/v1/me/password"): USER,
    ("POST", "/api/v1/password-reset"): PUBLIC,
    ("POST", "/api/v1/password-reset/confirm"): PUBLIC,
    ("GET", "/api/v1/audit"): ADMIN,  # or a publisher's key (tests/web/test_api_insight.py)
    ("GET", "/api/v1/stats"): ADMIN,
    ("GET", "/api/v1/stats/{name}"): ADMIN,
}

# Not requested here: log-out would end the session under test; the log-in routes answer 401 to
# the empty credentials sent here, by design (they are tested in test_api/test_pages).
SKIP = {("POST", "/logout"), ("DELETE", "/api/v1/session"), ("GET", "/docs/oauth2-redirect"),
        ("POST", "/login"), ("POST", "/api/v1/session"), ("GET", "/articles/{slug}/events"),
        ("POST", "/api/v1/session/sso")}

ALLOWED = {
    PUBLIC: set(ROLES),
    USER: set(ROLES) - {"anonymous"},
    POSTER: {"commenter", "other", "moderator", "admin"},
    OWNER: {"commenter"},
    MODERATOR: {"moderator", "admin"},
    ADMIN: {"admin"},
    PUBLISHER: set(),
}


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path) for every route, through included routers."""
    found: set[tuple[str, str]] = set()

    def walk(routes, prefix=""):
        for r in routes:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                walk(inner.routes, prefix + (getattr(r.include_context, "prefix", "") or ""))
                continue
            path = getattr(r, "path", None)
            methods = getattr(r, "methods", None)
            if path is None or methods is None:
                continue  # mounts (static files)
            for m in methods - {"HEAD", "OPTIONS"}:
                found.add((m, prefix + path))

    walk(app.routes)
    return found


def test_every_route_has_a_rule(app):
    missing = sorted(app_routes(app) - set(RULES))
    assert not missing, f"routes without an authorization rule in {__file__}: {missing}"


@pytest.fixture
def world(app, make_user):
    """Objects the ids in the paths name, all belonging to 'commenter' (ann)."""
    users = {"commenter": make_user("ann"), "other": make_user("otto"), "suspended": make_user("susi"),
             "banned": make_user("bert"), "moderator": make_user("mod", role="moderator"),
             "admin": make_user("boss", role="admin")}
    first_moderator = make_user("mod0", role="moderator")
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        art = Article(slug="story", title="A story", body="Body of the story.")
        s.add(art)
        s.flush()
        pol = policy.current(s, st)
        mk = dict(article_id=art.id, pipeline=app.state.pipeline, policy=pol, max_chars=5000, per_minute=100)
        # A third moderator takes the first decisions, so both roles under test may decide the appeal.
        ann, mod = s.merge(users["commenter"]), s.merge(first_moderator)
        published = comments.submit_comment(s, ann, text="A published remark.", **mk)
        removed = comments.submit_comment(s, ann, text="A remark a moderator removes.", **mk)
        moderation.decide(s, mod, comment_id=removed.id, action="remove", rule="offtopic")
        statement = s.scalars(select(Statement).where(Statement.comment_id == removed.id)).one()
        second = comments.submit_comment(s, ann, text="Another removed remark.", **mk)
        moderation.decide(s, mod, comment_id=second.id, action="remove", rule="offtopic")
        appealed = s.scalars(select(Statement).where(Statement.comment_id == second.id)).one()
        appeal = appeals.file(s, ann, statement_id=appealed.id, text="Please review this one.")
        suspension = sanctions.sanction(s, mod, user_id=users["suspended"].id, kind="suspension", rule="abuse",
                                        days=3)
        report = Report(comment_id=published.id, reporter_id=users["other"].id, reason="offtopic")
        s.add(report)
        s.flush()
        sanctions.sanction(s, mod, user_id=users["banned"].id, kind="ban", rule="abuse")
        ids = {"slug": "story", "article_id": art.id, "comment_id": published.id, "user_id": users["commenter"].id,
               "statement_id": statement.id, "appeal_id": appeal.id, "name": "comments_per_day", "webhook_id": 1,
               "username": "ann", "report_id": report.id, "sanction_id": suspension.id, "token": "not-a-token"}
    return users, ids


# A valid body for each write, so the answer is about who asks, not about what was sent.
BODIES = {
    "/api/v1/articles/{article_id}/comments": {"text": "A civil remark."},
    "/api/v1/articles/{article_id}/comments/preview": {"text": "A civil remark."},
    "/api/v1/comments/{comment_id}/reports": {"reason": "offtopic"},
    "/api/v1/me/statements/{statement_id}/appeal": {"text": "Please review this decision."},
    "/api/v1/moderation/comments/{comment_id}/decisions": {"action": "approve"},
    "/api/v1/moderation/users/{user_id}/sanctions": {"kind": "warning", "rule": "offtopic"},
    "/api/v1/moderation/appeals/{appeal_id}/decision": {"outcome": "upheld", "answer": "The decision stands."},
    "/articles/{slug}/comments": {"text": "A civil remark.", "confirm": "1"},
    "/articles/{slug}/comments/{comment_id}/report": {"reason": "offtopic"},
    "/me/appeals": {"statement_id": "{statement_id}", "text": "Please review this decision."},
    "/desk/comments/{comment_id}": {"action": "approve"},
    "/desk/users/{user_id}/sanctions": {"kind": "warning", "rule": "offtopic"},
    "/desk/appeals/{appeal_id}": {"outcome": "upheld", "answer": "The decision stands."},
    "/api/v1/comments/{comment_id}/respect": {"on": True},
    "/api/v1/moderation/comments/{comment_id}/featured": {"on": True},
    "/api/v1/me/mutes/{user_id}": {"on": True},
    "/comments/{comment_id}/respect": {"on": "1", "back": "/articles/story"},
    "/comments/{comment_id}/feature": {"on": "1", "back": "/articles/story"},
    "/users/{user_id}/mute": {"on": "1", "back": "/articles/story"},
    "/comments/{comment_id}/delete": {"back": "/articles/story"},
    "/me/profile": {"public": "1"},
    "/notifications/settings": {"digest": "0", "email": "reply"},
    "/language": {"locale": "en", "back": "/"},
    "/api/v1/comments/{comment_id}": {"text": "An edited civil remark."},
    "/comments/{comment_id}/edit": {"text": "An edited civil remark.", "back": "/articles/story"},
    "/me/delete": {"password": "wrong", "comments": "remove"},  # refused for the password: nothing deleted
    "/api/v1/me/deletion": {"password": "wrong", "comments": "remove"},
    "/api/v1/moderation/articles/{article_id}/closing": {"closed": False},
    "/desk/articles/{slug}/closing": {"action": "reopen"},
    "/desk/reports/{report_id}": {"action": "no_action", "answer": "Nothing wrong with it."},
    "/api/v1/moderation/reports/{report_id}/decision": {"action": "no_action", "answer": "Nothing wrong with it."},
    "/desk/users/{user_id}/trusted-flagger": {"trusted": "1"},
    "/desk/sanctions/{sanction_id}/lift": {"reason": "Lifted for the test."},
    "/api/v1/moderation/sanctions/{sanction_id}/lift": {"reason": "Lifted for the test."},
    "/desk/users/{user_id}/notes": {"text": "A note for the test."},
    "/me/password": {"current_password": "not-the-password", "new_password": "another-password"},
    "/api/v1/me/password": {"current_password": "not-the-password", "new_password": "another-password"},
    "/password/forgot": {"email": "nobody@example.org"},
    "/api/v1/password-reset": {"email": "nobody@example.org"},
    "/api/v1/password-reset/confirm": {"token": "not-a-token", "new_password": "another-password"},
    "/password/reset/{token}": {"password": "another-password"},
    "/api/v1/moderation/users/{user_id}/notes": {"text": "A note for the test."},
}


def _request(client, app, users, role, method, template, ids):
    path = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), template)
    body = {k: re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), v) if isinstance(v, str) else v
            for k, v in BODIES.get(template, {}).items()}
    headers, cookies = {}, {}
    csrf = secrets.token_urlsafe(8)
    cookies["remarks_csrf"] = csrf
    if role != "anonymous":
        with dbmod.unit_of_work(app.state.sessions) as s:
            token, _ = accounts.start_session(s, s.merge(users[role]), days=1)
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {token}"
        else:
            cookies["remarks_session"] = token
    client.cookies.clear()
    for k, v in cookies.items():
        client.cookies.set(k, v)
    if path.startswith("/api/"):
        return client.request(method, path, headers=headers, json=body if method in ("POST", "PUT") else None)
    data = {"csrf": csrf, **body} if method == "POST" else None
    return client.request(method, path, headers=headers, data=data, follow_redirects=False)


def _denied(r) -> bool:
    if r.status_code in (401, 403):
        return True
    return r.status_code == 303 and r.headers.get("location", "").startswith("/login")


@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, client, world, role):
    users, ids = world
    wrong = []
    for (method, template), level in sorted(RULES.items()):
        if (method, template) not in app_routes(app):
            continue  # a rule for a route another part of the app adds
        if (method, template) in SKIP:
            continue
        r = _request(client, app, users, role, method, template, ids)
        path = r.request.url.path
        allowed = role in ALLOWED[level]
        if level == OWNER and role not in ("commenter", "anonymous"):
            denied = r.status_code in (403, 404)  # someone else's id: as if it did not exist
        else:
            denied = _denied(r)
        if allowed == denied or r.status_code >= 500:
            wrong.append(f"{method} {path}: {r.status_code} (expected {'allow' if allowed else 'deny'})")
    assert not wrong, f"{role}: " + "; ".join(wrong)


# ---------------------------------------------------------------------------------------------------
# Many sites (#13): staff of site A get 403 on everything of site B, and their own site still works.
# Objects of a site the caller does not work on are refused with 403 (never shown, never named),
# unknown ids with 404; ?site=B on a list is 403 too, and a list without ?site shows only the caller's
# sites. One row per door: (who, method, path, body).

SITE_ROLES = ("mod_a", "admin_a")


@pytest.fixture
def two_sites(app, make_user):
    """Sites A and B, each with: an article, a held comment, a reported comment, a removed comment
    whose author appealed, a reader who wrote only there and is suspended for it. mod_a and admin_a
    work on A only; 'chief' (a moderator of every site) took the first decisions."""
    from remarks.services import publishing, sites

    st = app.state.settings
    people = {name: make_user(name) for name in ("reader_a", "reader_b", "flagger")}
    people["mod_a"] = make_user("mod_a")
    people["admin_a"] = make_user("admin_a")
    chief = people["chief"] = make_user("chief", role="moderator")
    ids: dict[str, dict] = {}
    keys: dict[str, str] = {}
    with dbmod.unit_of_work(app.state.sessions) as s:
        chief = s.merge(chief)
        hold_all = policy.current(s, st).model_copy(update={"premoderate_all": True})
        for x in ("a", "b"):
            pub, keys[x] = publishing.create_publisher(s, None, f"site-{x}")
            art = Article(slug=f"story-{x}", title=f"Story {x}", body="Body.", publisher_id=pub.id)
            s.add(art)
            s.flush()
            reader = s.merge(people[f"reader_{x}"])
            mk = dict(article_id=art.id, pipeline=app.state.pipeline, max_chars=5000, per_minute=100)
            held = comments.submit_comment(s, reader, text=f"A held remark on {x}.", policy=hold_all, **mk)
            pol = policy.current(s, st)
            shown = comments.submit_comment(s, reader, text=f"A published remark on {x}.", policy=pol, **mk)
            report = Report(comment_id=shown.id, reporter_id=people["flagger"].id, reason="offtopic")
            s.add(report)
            gone = comments.submit_comment(s, reader, text=f"A removed remark on {x}.", policy=pol, **mk)
            moderation.decide(s, chief, comment_id=gone.id, action="remove", rule="offtopic")
            statement = s.scalars(select(Statement).where(Statement.comment_id == gone.id)).one()
            appeal = appeals.file(s, reader, statement_id=statement.id, text="Please review this one.")
            suspension = sanctions.sanction(s, chief, user_id=reader.id, kind="suspension", rule="abuse", days=3,
                                            comment_id=gone.id)
            s.flush()
            ids[x] = {"site": pub.name, "slug": art.slug, "article_id": art.id, "held": held.id,
                      "comment_id": shown.id, "user_id": reader.id, "appeal_id": appeal.id, "report_id": report.id,
                      "sanction_id": suspension.id, "name": "comments_per_day", "held_text": held.text}
        site_a = sites.by_name(s, "site-a")
        sites.grant(s, None, site=site_a, user=s.merge(people["mod_a"]), role="moderator")
        sites.grant(s, None, site=site_a, user=s.merge(people["admin_a"]), role="admin")
    return people, ids, keys


# (who, method, path, body): every door a moderator or admin of one site might try on another's things.
CROSS_SITE = [
    ("mod_a", "GET", "/desk?site={site}", None),
    ("mod_a", "POST", "/desk/comments/{held}", {"action": "approve"}),
    ("mod_a", "POST", "/desk/bulk", {"ids": "{held}", "action": "approve"}),
    ("mod_a", "GET", "/desk/users/{user_id}", None),
    ("mod_a", "POST", "/desk/users/{user_id}/sanctions", {"kind": "warning", "rule": "offtopic"}),
    ("mod_a", "POST", "/desk/users/{user_id}/notes", {"text": "A note for the test."}),
    ("mod_a", "POST", "/desk/sanctions/{sanction_id}/lift", {"reason": "Lifted for the test."}),
    ("mod_a", "GET", "/desk/appeals?site={site}", None),
    ("mod_a", "POST", "/desk/appeals/{appeal_id}", {"outcome": "upheld", "answer": "The decision stands."}),
    ("mod_a", "GET", "/desk/reports?site={site}", None),
    ("mod_a", "POST", "/desk/reports/{report_id}", {"action": "no_action", "answer": "Nothing wrong with it."}),
    ("mod_a", "GET", "/desk/stats?site={site}", None),
    ("mod_a", "GET", "/desk/stats/{name}.csv?site={site}", None),
    ("mod_a", "GET", "/desk/stats/{name}.png?site={site}", None),
    ("mod_a", "POST", "/desk/articles/{slug}/closing", {"action": "close", "reason": "Closed for the test."}),
    ("mod_a", "POST", "/comments/{comment_id}/feature", {"on": "1", "back": "/"}),
    ("mod_a", "GET", "/api/v1/moderation/queue?site={site}", None),
    ("mod_a", "POST", "/api/v1/moderation/comments/{held}/decisions", {"action": "approve"}),
    ("mod_a", "POST", "/api/v1/moderation/users/{user_id}/sanctions", {"kind": "warning", "rule": "offtopic"}),
    ("mod_a", "GET", "/api/v1/moderation/appeals?site={site}", None),
    ("mod_a", "POST", "/api/v1/moderation/appeals/{appeal_id}/decision",
     {"outcome": "upheld", "answer": "The decision stands."}),
    ("mod_a", "GET", "/api/v1/moderation/reports?site={site}", None),
    ("mod_a", "POST", "/api/v1/moderation/reports/{report_id}/decision",
     {"action": "no_action", "answer": "Nothing wrong with it."}),
    ("mod_a", "PUT", "/api/v1/moderation/comments/{comment_id}/featured", {"on": True}),
    ("mod_a", "PUT", "/api/v1/moderation/articles/{article_id}/closing", {"closed": True, "reason": "For the test."}),
    ("mod_a", "POST", "/api/v1/moderation/sanctions/{sanction_id}/lift", {"reason": "Lifted for the test."}),
    ("mod_a", "GET", "/api/v1/moderation/users/{user_id}/notes", None),
    ("mod_a", "POST", "/api/v1/moderation/users/{user_id}/notes", {"text": "A note for the test."}),
    ("admin_a", "GET", "/desk/policy?site={site}", None),
    ("admin_a", "POST", "/desk/policy?site={site}", {"toml": "report_hold_weight = 5.0"}),
    ("admin_a", "GET", "/desk/audit.csv?site={site}", None),
    ("admin_a", "GET", "/desk/statements/transparency.jsonl?site={site}", None),
    ("admin_a", "GET", "/desk/stats?site={site}", None),
    ("admin_a", "POST", "/desk/comments/{held}", {"action": "approve"}),
    ("admin_a", "GET", "/api/v1/admin/policy?site={site}", None),
    ("admin_a", "PUT", "/api/v1/admin/policy?site={site}", {"report_hold_weight": 5.0}),
    ("admin_a", "GET", "/api/v1/stats?site={site}", None),
    ("admin_a", "GET", "/api/v1/stats/{name}?site={site}", None),
    ("admin_a", "GET", "/api/v1/audit?site={site}", None),
]

# Things of no single site (every reader's notifications, the whole audit log, every publisher's
# webhooks, a trusted flagger for every site, the installation's policy): staff of every site only.
EVERY_SITE_ONLY = [
    ("admin_a", "GET", "/desk/outbox", None),
    ("admin_a", "GET", "/desk/webhooks", None),
    ("admin_a", "POST", "/desk/users/{user_id}/trusted-flagger", {"trusted": "1"}),
]


def _site_request(client, app, user, method, template, ids, body):
    path = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), template)
    body = {k: re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), v) if isinstance(v, str) else v
            for k, v in (body or {}).items()}
    with dbmod.unit_of_work(app.state.sessions) as s:
        token, _ = accounts.start_session(s, s.get(User, user.id), days=1)  # not merge: the grant changed the row
    client.cookies.clear()
    if path.startswith("/api/"):
        return client.request(method, path, headers={"Authorization": f"Bearer {token}"},
                              json=body if method in ("POST", "PUT") else None)
    csrf = secrets.token_urlsafe(8)
    client.cookies.set("remarks_csrf", csrf)
    client.cookies.set("remarks_session", token)
    return client.request(method, path, data={"csrf": csrf, **body} if method == "POST" else None,
                          follow_redirects=False)


def test_staff_of_one_site_get_403_on_another(app, client, two_sites):
    people, ids, _ = two_sites
    wrong = []
    for who, method, template, body in CROSS_SITE + EVERY_SITE_ONLY:
        r = _site_request(client, app, people[who], method, template, ids["b"], body)
        # 403 for the site, not for the role: every refusal of this kind says which sites one works on.
        if r.status_code != 403 or "work on" not in r.text:
            wrong.append(f"{who} {method} {r.request.url.path}?{r.request.url.query}: {r.status_code} (expected 403)")
    assert not wrong, "; ".join(wrong)


def test_staff_of_one_site_work_on_it(app, client, two_sites):
    """The same doors on their own site answer 2xx or a redirect back into the desk (never 403); 409
    where the desk's door already decided the same appeal, report or measure the API's door then tries."""
    people, ids, _ = two_sites
    wrong = []
    for who, method, template, body in CROSS_SITE:
        r = _site_request(client, app, people[who], method, template, ids["a"], body)
        redirect_ok = r.status_code == 303 and not r.headers.get("location", "").startswith("/login")
        if not (200 <= r.status_code < 300 or redirect_ok or r.status_code == 409):
            wrong.append(f"{who} {method} {r.request.url.path}: {r.status_code} {r.text[:120]}")
    assert not wrong, "; ".join(wrong)


def test_lists_without_a_site_show_only_the_callers_sites(app, client, two_sites):
    people, ids, _ = two_sites
    # Staff of every site see both (asked first: the desk page below claims what it shows for mod_a).
    both = _site_request(client, app, people["chief"], "GET", "/api/v1/moderation/queue", ids["a"], None).json()
    assert {c["id"] for c in both} == {ids["a"]["held"], ids["b"]["held"]}
    desk = _site_request(client, app, people["mod_a"], "GET", "/desk", ids["a"], None)
    assert desk.status_code == 200
    assert ids["a"]["held_text"] in desk.text and ids["b"]["held_text"] not in desk.text
    admins_desk = _site_request(client, app, people["admin_a"], "GET", "/desk", ids["a"], None).text
    assert 'href="/desk/policy"' in admins_desk and 'href="/desk/outbox"' not in admins_desk  # no link to a 403
    queue = _site_request(client, app, people["mod_a"], "GET", "/api/v1/moderation/queue", ids["a"], None).json()
    assert [c["id"] for c in queue] == [ids["a"]["held"]]
    found = _site_request(client, app, people["mod_a"], "GET", "/api/v1/moderation/reports", ids["a"], None).json()
    assert {r["id"] for r in found} == {ids["a"]["report_id"]}
    appealed = _site_request(client, app, people["mod_a"], "GET", "/api/v1/moderation/appeals", ids["a"], None).json()
    assert {a["id"] for a in appealed} == {ids["a"]["appeal_id"]}
    stats = _site_request(client, app, people["admin_a"], "GET", "/api/v1/stats", ids["a"], None).json()
    assert stats["headline"]["Comments"] == 3  # site A's three, not six
    audit = _site_request(client, app, people["admin_a"], "GET", "/api/v1/audit?limit=1000", ids["a"], None).json()
    b_comments = {str(ids["b"][k]) for k in ("held", "comment_id")}
    assert not [e for e in audit["events"] if e["subject_type"] == "comment" and str(e["subject_id"]) in b_comments]


def test_a_publishers_key_reads_its_own_site(client, two_sites):
    _, ids, keys = two_sites
    mine = client.get(f"/api/v1/publisher/articles/{ids['a']['slug']}/comments", headers={"X-API-Key": keys["a"]})
    assert mine.status_code == 200 and len(mine.json()) == 3
    theirs = client.get(f"/api/v1/publisher/articles/{ids['b']['slug']}/comments", headers={"X-API-Key": keys["a"]})
    assert theirs.status_code == 403
    taken = client.put(f"/api/v1/publisher/articles/{ids['b']['slug']}", headers={"X-API-Key": keys["a"]},
                       json={"title": "Taken over", "body": "No."})
    assert taken.status_code == 403
    stats = client.get("/api/v1/stats?site=site-b", headers={"X-API-Key": keys["a"]})
    assert stats.status_code == 403
