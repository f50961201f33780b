import re

import pytest

from remarks import db as dbmod
from remarks.models import Article
from remarks.services import demo
from support import csrf_of, login


@pytest.fixture
def seeded(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)


def test_news_list_and_article_page(client, seeded):
    home = client.get("/")
    assert home.status_code == 200 and "Inquiry opens into border attack" in home.text
    page = client.get("/articles/border-attack-inquiry")
    assert page.status_code == 200
    assert "jihadist cell" in page.text and "Log in</a> or" in page.text
    assert page.text.count('class="comment state-published"') == 3  # two top-level comments and one reply
    assert "Content-Security-Policy" in page.headers and "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_unknown_article_is_a_404_page(client, seeded):
    r = client.get("/articles/nope")
    assert r.status_code == 404 and "<html" in r.text


def test_signup_post_reply_and_see_own_held_comment(app, client, seeded):
    form = client.get("/signup")
    r = client.post("/signup", data={"username": "newreader", "password": "long-enough-pw",
                                     "display_name": "New Reader", "csrf": csrf_of(form.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    cookie = [h for k, h in r.headers.multi_items() if k == "set-cookie" and "remarks_session" in h][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    page = client.get("/articles/border-attack-inquiry")
    r = client.post("/articles/border-attack-inquiry/comments", data={"text": "Who got the warning?",
                    "csrf": csrf_of(page.text)}, follow_redirects=True)
    assert r.status_code == 200 and "Who got the warning?" in r.text
    # An obscene one: first the nudge names the rule and the words, and nothing is stored yet ...
    r = client.post("/articles/border-attack-inquiry/comments", data={"text": "Bullshit, you morons",
                    "csrf": csrf_of(page.text)}, follow_redirects=True)
    assert "Before you post" in r.text and "abusive or obscene language" in r.text
    assert "<mark>Bullshit</mark>" in r.text and 'name="confirm" value="1"' in r.text
    assert "Awaiting moderation" not in r.text
    # ... then "post anyway": it is held; its author sees it marked, others don't see it.
    r = client.post("/articles/border-attack-inquiry/comments", data={"text": "Bullshit, you morons",
                    "confirm": "1", "nudged_text": "Bullshit, you morons", "csrf": csrf_of(page.text)},
                    follow_redirects=True)
    assert "Awaiting moderation" in r.text and "Bullshit, you morons" in r.text
    client.cookies.delete("remarks_session")
    assert "Bullshit, you morons" not in client.get("/articles/border-attack-inquiry").text


def test_posting_without_csrf_is_refused(client, make_user, seeded):
    make_user("ann")
    login(client, "ann")
    r = client.post("/articles/border-attack-inquiry/comments", data={"text": "no token"})
    assert r.status_code == 403


def test_refused_comment_keeps_the_draft(app, client, make_user, seeded):
    make_user("ann")
    login(client, "ann")
    page = client.get("/articles/border-attack-inquiry")
    r = client.post("/articles/border-attack-inquiry/comments", data={"text": "x" * 5001, "csrf": csrf_of(page.text)})
    assert r.status_code == 413
    assert "the limit is 5,000" in r.text and "x" * 5001 in r.text


def test_comment_text_is_escaped(client, make_user, seeded):
    make_user("ann")
    login(client, "ann")
    page = client.get("/articles/border-attack-inquiry")
    client.post("/articles/border-attack-inquiry/comments",
                data={"text": "<script>alert(1)</script> & <b>bold</b>", "csrf": csrf_of(page.text)})
    html = client.get("/articles/border-attack-inquiry").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_wrong_password_and_logout(client, make_user):
    make_user("ann")
    form = client.get("/login")
    r = client.post("/login", data={"username": "ann", "password": "wrong-password", "csrf": csrf_of(form.text)})
    assert r.status_code == 401 and "wrong username or password" in r.text
    login(client, "ann")
    assert "Log out" in client.get("/").text
    r = client.post("/logout", data={"csrf": csrf_of(client.get("/").text)}, follow_redirects=False)
    assert r.status_code == 303 and "Log in" in client.get("/").text


def test_desk_requires_a_moderator(client, make_user):
    assert client.get("/desk", follow_redirects=False).status_code == 303
    make_user("ann")
    login(client, "ann")
    assert client.get("/desk").status_code == 403


def test_moderator_removes_and_bans_from_the_queue(app, client, make_user, seeded):
    app.state.settings.hold_everything = True
    make_user("ann")
    login(client, "ann")
    page = client.get("/articles/typhoon-harbour-rebuild")
    client.post("/articles/typhoon-harbour-rebuild/comments", data={"text": "Visit my shop for cheap boats",
                "csrf": csrf_of(page.text)})
    client.cookies.clear()
    make_user("mod", role="moderator")
    login(client, "mod")
    queue = client.get("/desk")
    assert "shop for cheap boats" in queue.text and "Typhoon-hit harbour town" in queue.text
    assert "<mark class=\"ev ev-promotion\"" in queue.text  # the evidence is highlighted in the text
    cid = re.search(r'action="/desk/comments/(\d+)"', queue.text).group(1)
    r = client.post(f"/desk/comments/{cid}", data={"action": "remove", "rule": "promotion", "reason": "advert",
                    "sanction": "ban", "csrf": csrf_of(queue.text)}, follow_redirects=True)
    assert "removed" in r.text and "banned" in r.text and "Nothing is waiting" in r.text
    user_page = client.get(re.search(r'href="(/desk/users/\d+)"', queue.text).group(1))
    assert "user:banned" in user_page.text
    assert "You are banned" in user_page.text


def test_a_long_thread_is_paginated(app, client, make_user, seeded):
    from sqlalchemy import select

    from remarks.models import Comment, User

    with dbmod.unit_of_work(app.state.sessions) as s:
        art = s.scalar(select(Article).where(Article.slug == "heat-pump-grants"))
        who = s.scalar(select(User).where(User.username == "reader"))
        s.add_all(Comment(article_id=art.id, author_id=who.id, text=f"Thread number {i}", state="published")
                  for i in range(120))
    page1 = client.get("/articles/heat-pump-grants")
    assert page1.text.count('class="comment state-published"') == 50
    assert "Page 1 of 3" in page1.text and 'href="?sort=oldest&amp;page=2#comments"' in page1.text
    page3 = client.get("/articles/heat-pump-grants?page=3")
    assert page3.text.count('class="comment state-published"') == 20 and "Thread number 119" in page3.text
    assert len(client.get(f"/api/v1/articles/{art.id}?page=2").json()["comments"]) == 50


def test_sign_ups_are_limited_per_network_address(client):
    codes = []
    for i in range(11):
        form = client.get("/signup")
        r = client.post("/signup", data={"username": f"flood{i}", "password": "long-enough-pw",
                                         "csrf": csrf_of(form.text)}, follow_redirects=False)
        codes.append(r.status_code)
        client.cookies.delete("remarks_session")
    assert codes == [303] * 10 + [429]


def test_production_cookies_are_secure(tmp_path, make_user):
    from fastapi.testclient import TestClient

    from remarks.config import Settings
    from remarks.web import create_app

    url = f"sqlite:///{tmp_path / 'prod.db'}"
    dbmod.upgrade(url)
    app = create_app(Settings(database_url=url, mode="production", secret_key="a-real-secret-for-this-test",
                              checks=["wordlist", "links"], webhooks_enabled=False))
    with TestClient(app, base_url="https://testserver") as c:
        r = c.get("/login")
        cookies = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
        assert cookies and all("Secure" in v and "HttpOnly" in v and "SameSite=lax" in v for v in cookies)


def test_each_app_has_its_own_template_environment(tmp_path):
    """No module-global app state: two apps with different site names render their own."""
    from fastapi.testclient import TestClient

    from remarks.config import Settings
    from remarks.web import create_app

    url = f"sqlite:///{tmp_path / 'two.db'}"
    dbmod.upgrade(url)
    apps = [create_app(Settings(database_url=url, site_name=name, checks=["wordlist", "links"],
                                webhooks_enabled=False)) for name in ("Alpha Gazette", "Beta Courier")]
    alpha, beta = (TestClient(a).get("/login").text for a in apps)
    assert "Alpha Gazette" in alpha and "Beta Courier" not in alpha
    assert "Beta Courier" in beta and "Alpha Gazette" not in beta
    assert apps[0].state.templates is not apps[1].state.templates
