"""Languages: every interface string of the templates is in the catalogue, every one is translated
into Traditional Chinese, and the reader's pages rendered in zh-TW show no English interface text."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from remarks import db as dbmod
from remarks.services import demo
from remarks.web import i18n
from i18n_support import ALLOWED, english_words
from support import bearer, csrf_of, login

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "remarks" / "web" / "templates"
PO = ROOT / "src" / "remarks" / "web" / "translations" / "zh_TW" / "LC_MESSAGES" / "messages.po"
# The reader's pages: these are complete (the desk's templates are for the newspaper's staff).
READER_TEMPLATES = ["base.html", "_language.html", "article.html", "embed.html", "_comments_section.html",
                    "_comment.html", "index.html", "login.html", "signup.html", "error.html", "profile.html",
                    "notifications.html", "delete_account.html"]


def extracted() -> set:
    found = set()
    for _name, _, message, _, _ in extract_from_dir(
            str(TEMPLATES), method_map=[("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}):
        found.add(message)
    return found


def test_catalogue_holds_every_template_string_and_zh_tw_translates_all():
    with PO.open("rb") as f:
        cat = read_po(f)
    ids = {m.id for m in cat if m.id}
    missing = extracted() - ids
    assert not missing, f"strings not in the catalogue (run pybabel extract and scripts/zh_tw.py): {missing}"
    untranslated = [m.id for m in cat if m.id and (m.fuzzy or not (
        m.string if isinstance(m.string, str) else all(m.string)))]
    assert not untranslated, f"untranslated in zh_TW: {untranslated}"


@pytest.mark.parametrize(("header", "expected"), [
    ("zh-TW,zh;q=0.9,en;q=0.8", "zh_TW"),
    ("zh-Hant-TW", "zh_TW"),
    ("zh", "zh_TW"),
    ("en-GB,en;q=0.9", "en"),
    ("fr-FR,fr;q=0.9", None),
    ("en;q=0.1, zh-TW;q=0.9", "zh_TW"),
    ("", None),
    (";;;q=abc,,", None),
])
def test_accept_language(header, expected):
    assert i18n.from_header(header) == expected


@pytest.fixture
def seeded(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)


def test_reader_pages_in_zh_tw_show_no_english_interface_text(app, client, seeded):
    from sqlalchemy import select

    from remarks.models import User

    with app.state.sessions() as s:  # readers' names are content, not interface
        ALLOWED.update(w for n in s.scalars(select(User.display_name)) for w in re.findall(r"[A-Za-z]{3,}", n))
    zh = {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"}
    mod = bearer(client, "moderator", "moderator-demo-pass")
    first = client.get("/api/v1/articles/1").json()["comments"][0]["id"]
    client.put(f"/api/v1/moderation/comments/{first}/featured", headers=mod, json={"on": True})
    pages = ["/", "/articles/border-attack-inquiry", "/embed/border-attack-inquiry", "/login", "/signup",
             "/users/reader"]  # (messages from the code: tests/web/test_i18n_messages.py)
    for path in pages:
        html = client.get(path, headers=zh).text
        assert '<html lang="zh-TW">' in html, path
        assert not english_words(html), (path, english_words(html)[:20])
    login(client, "reader", "reader-demo-pass")
    for path in ["/articles/border-attack-inquiry?sort=reactions", "/embed/border-attack-inquiry", "/notifications",
                 "/me/delete"]:
        html = client.get(path, headers=zh).text
        assert not english_words(html), (path, english_words(html)[:20])
    assert "致敬" in client.get("/articles/border-attack-inquiry", headers=zh).text
    assert "年" in client.get("/users/reader", headers=zh).text  # the date, per locale


def test_language_setting_wins_over_the_browser(client, seeded):
    page = client.get("/login", headers={"Accept-Language": "zh-TW"})
    assert "登入" in page.text
    r = client.post("/language", data={"csrf": csrf_of(page.text), "locale": "en", "back": "/login"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Log in" in client.get("/login", headers={"Accept-Language": "zh-TW"}).text
    login(client, "reader", "reader-demo-pass")
    page = client.get("/")
    client.post("/language", data={"csrf": csrf_of(page.text), "locale": "zh_TW", "back": "/"})
    client.cookies.delete("remarks_lang")
    assert "登出" in client.get("/").text  # kept in the account
