"""Messages from the code in the reader's language: every message marked for the catalogue (N_) is in it
and translated into zh-TW; a zh-TW reader reads a refusal (an empty comment, on the page and through the
API), a sanction, the statement of reasons on their page and its e-mail in Traditional Chinese."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import Notification, User
from remarks.services import demo, sanctions
from support import bearer, csrf_of, login

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src" / "remarks" / "web" / "translations" / "zh_TW" / "LC_MESSAGES" / "messages.po"
ZH = {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"}
SLUG = "border-attack-inquiry"


@pytest.fixture
def seeded(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)


def test_every_marked_message_of_the_code_is_in_the_catalogue_and_translated():
    marked = {message for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "src" / "remarks"), method_map=[("**.py", "python")], keywords={"N_": None, "gettext": None})
        if message}
    assert "the comment is empty" in marked and "Facts: %(facts)s" in marked  # (the extraction works)
    with PO.open("rb") as f:
        cat = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted(m for m in marked if m not in cat)
    assert not missing, f"not in the catalogue (run pybabel extract and scripts/zh_tw.py): {missing}"
    untranslated = sorted(m for m in marked if not cat[m])
    assert not untranslated, f"untranslated in zh_TW: {untranslated}"


def test_an_empty_comment_is_refused_in_the_readers_language(client, seeded):
    login(client, "reader", "reader-demo-pass")
    page = client.get(f"/articles/{SLUG}", headers=ZH)
    r = client.post(f"/articles/{SLUG}/comments", headers=ZH, data={"csrf": csrf_of(page.text), "text": "   "})
    assert r.status_code == 400
    assert "留言是空的" in r.text and "the comment is empty" not in r.text
    # The same refusal in English for an English reader.
    r = client.post(f"/articles/{SLUG}/comments", headers={"Accept-Language": "en"},
                    data={"csrf": csrf_of(page.text), "text": ""})
    assert r.status_code == 400 and "the comment is empty" in r.text

    # The API (the embed's and an app's): the message in the reader's language, the code the same.
    token = bearer(client, "reader", "reader-demo-pass")
    art = client.get("/api/v1/articles").json()[0]["id"]
    r = client.post(f"/api/v1/articles/{art}/comments", headers={**token, **ZH}, json={"text": ""})
    assert r.status_code == 400
    assert r.json()["error"] == {"status": 400, "code": "bad_input", "message": "留言是空的"}
    r = client.post(f"/api/v1/articles/{art}/comments", headers=token, json={"text": "x" * 6000})
    assert r.json()["error"]["message"] == "the comment is 6,000 characters long; the limit is 5,000"
    r = client.post(f"/api/v1/articles/{art}/comments", headers={**token, **ZH}, json={"text": "x" * 6000})
    assert r.json()["error"]["message"] == "留言長度為 6,000 個字元；上限為 5,000"  # with its numbers
    # A page the reader may not open: the reason in their language too.
    r = client.get("/desk", headers=ZH)
    assert r.status_code == 403 and "這是給審核員使用的" in r.text


def test_statement_of_reasons_sanction_and_email_in_zh_tw(app, client, seeded):
    login(client, "reader", "reader-demo-pass")
    page = client.get("/", headers=ZH)
    client.post("/language", headers=ZH, data={"csrf": csrf_of(page.text), "locale": "zh_TW", "back": "/"})
    with dbmod.unit_of_work(app.state.sessions) as s:
        mod = s.scalar(select(User).where(User.username == "moderator"))
        reader = s.scalar(select(User).where(User.username == "reader"))
        assert reader.locale == "zh_TW"
        sanctions.sanction(s, mod, user_id=reader.id, kind="suspension", rule="attack",
                           reason="called another reader a liar", days=3)

    me = client.get("/me").text
    for words in ("關於你帳號的決定", "停權", "措施", "事實", "規則", "人身攻擊", "自動化方式", "這項決定由人員作出",
                  "救濟途徑", "申訴：這項決定為何有誤？", "送出申訴"):
        assert words in me, words
    for english in ("Decisions about your account", "Automated means", "Send appeal", "Redress"):
        assert english not in me, english

    # The e-mail of the statement, in the reader's chosen language.
    with app.state.sessions() as s:
        mail = s.scalars(select(Notification).where(Notification.user_id == reader.id,
                                                    Notification.kind == "statement")).all()[-1]
    assert mail.subject == "你已被暫停留言"
    assert "事實：" in mail.body and "自動化方式：這則留言未被自動審核標記；這項決定由人員作出。" in mail.body
    assert "你可以在六個月內" in mail.body

    # Posting while suspended: what, why and until when, in zh-TW.
    page = client.get(f"/articles/{SLUG}")
    r = client.post(f"/articles/{SLUG}/comments", data={"csrf": csrf_of(page.text), "text": "Hello again"})
    assert r.status_code == 403
    assert "你已被暫停留言，因為違反了關於「人身攻擊」的規則 (called another reader a liar)，直到" in r.text

    # An appeal without a reason: refused in zh-TW; a good one is thanked in zh-TW.
    st_id = client.get("/api/v1/me/statements", headers=bearer(client, "reader", "reader-demo-pass")).json()[0]["id"]
    me = client.get("/me")
    r = client.post("/me/appeals", data={"csrf": csrf_of(me.text), "statement_id": st_id, "text": "no"})
    assert r.status_code == 400 and "請以 10 至 5,000 個字元說明這項決定為何有誤" in r.text
    r = client.post("/me/appeals", data={"csrf": csrf_of(me.text), "statement_id": st_id,
                                         "text": "I quoted him; I did not call anyone a liar."})
    assert "你的申訴已送出。審核員會答覆你。" in r.text and "你的申訴（" in r.text


def test_account_pages_and_a_reply_email_in_zh_tw(app, client, seeded):
    page = client.get("/password/forgot", headers=ZH).text
    assert "忘記密碼？" in page and "寄給我連結" in page and "Send me a link" not in page
    r = client.post("/password/forgot", headers=ZH, data={"csrf": csrf_of(page), "email": "nobody@example.com"})
    assert "連結只能使用一次" in r.text
    assert "這個連結已失效" in client.get("/password/reset/not-a-token", headers=ZH).text

    # A reader who chose zh-TW gets the e-mail of a reply in zh-TW, whoever replies.
    login(client, "reader", "reader-demo-pass")
    home = client.get("/", headers=ZH)
    client.post("/language", data={"csrf": csrf_of(home.text), "locale": "zh_TW", "back": "/"})
    art = client.get("/api/v1/articles").json()[0]["id"]
    mine = client.post(f"/api/v1/articles/{art}/comments", headers=bearer(client, "reader", "reader-demo-pass"),
                       json={"text": "The inquiry should publish the warning."}).json()["id"]
    client.post(f"/api/v1/articles/{art}/comments", headers=bearer(client, "editor", "editor-demo-pass"),
                json={"text": "It will, on Monday.", "parent_id": mine}).raise_for_status()
    with app.state.sessions() as s:
        reader = s.scalar(select(User).where(User.username == "reader"))
        mail = s.scalars(select(Notification).where(Notification.user_id == reader.id,
                                                    Notification.kind == "reply")).all()[-1]
    assert mail.subject.endswith(" 回覆了你的留言"), mail.subject
    assert "閱讀：" in mail.body
