"""The reader's walk in headless Chromium against the real server (and a real SMTP server):
post -> edit within the window (an edit that adds an insult is held) -> Respect -> sort by most
respected -> reply with an @mention (picked from the autocomplete) -> the mentioned reader sees the
notification and gets the e-mail -> mute -> download the data -> delete the account. Then the same
pages in zh-TW show no English interface text. REMARKS_SCREENSHOT_DIR=docs refreshes the screenshots."""

import json
import time
from pathlib import Path

import httpx
import pytest

from i18n_support import ALLOWED, english_words
from smtp_capture import Mailbox

pytestmark = pytest.mark.browser

SLUG = "border-attack-inquiry"


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def server_env(mailbox):
    return {"REMARKS_CHECKS": '["wordlist", "links"]', "REMARKS_SMTP_HOST": "127.0.0.1",
            "REMARKS_SMTP_PORT": str(mailbox.port), "REMARKS_SMTP_TLS": "none", "REMARKS_MAIL_INTERVAL": "0.5",
            "REMARKS_COMMENTS_PER_MINUTE": "100"}


def sign_up(page, base, username, name, email):
    page.goto(f"{base}/signup")
    page.fill("#username", username)
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", "walk-password-1")
    page.click("form[action='/signup'] button[type=submit]")


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def test_reader_walk(live_server, browser, mailbox, screenshot_dir, tmp_path):
    base = live_server.url
    errors = []
    walker_ctx, tagged_ctx = browser.new_context(accept_downloads=True), browser.new_context()
    me, tagged = walker_ctx.new_page(), tagged_ctx.new_page()
    me.on("pageerror", lambda e: errors.append(str(e)))
    sign_up(tagged, base, "tagged", "Tess Tagged", "tess@example.com")
    sign_up(me, base, "walker", "Wally Walker", "wally@example.com")

    # Post.
    me.goto(f"{base}/articles/{SLUG}")
    me.fill("#comment-text", "The inquiry should publish the warning in full.\n\n> who received it\n\nThat is the question.")
    me.click("#new-comment button[type=submit]")
    mine = me.locator("li.comment", has_text="publish the warning in full").first
    assert mine.count() == 1 and mine.locator("blockquote").count() == 1
    mine_id = mine.get_attribute("id")

    # Edit within the window: checked again; a civil edit stays published and is marked "edited".
    mine.locator("details.edit > summary").click()
    mine.locator("details.edit textarea").fill("The inquiry should publish the warning in full, with its date.")
    mine.locator("details.edit button[type=submit]").click()
    mine = me.locator(f"#{mine_id}")
    assert "with its date" in mine.inner_text() and mine.locator(".badge.edited").count() == 1
    # An edit that adds an insult is held: only its author sees it, awaiting moderation.
    mine.locator("details.edit > summary").click()
    mine.locator("details.edit textarea").fill("The inquiry should publish the warning in full, you fucking cowards.")
    mine.locator("details.edit button[type=submit]").click()
    mine = me.locator(f"#{mine_id}")
    assert "awaiting moderation" in mine.inner_text().lower()
    assert "fucking cowards" not in httpx.get(f"{base}/articles/{SLUG}").text
    mine.locator("details.edit > summary").click()  # and back to a civil text, checked once more
    mine.locator("details.edit textarea").fill("The inquiry should publish the warning in full.")
    mine.locator("details.edit button[type=submit]").click()
    assert me.locator(f"#{mine_id}.state-published").count() == 1

    # Respect: a demo comment by another reader.
    other = me.locator("li.comment", has_text="Good that the Muslim and Kurdish families").first
    other_id = other.get_attribute("id")
    other.locator("button.respect").first.click()
    other = me.locator(f"#{other_id}")
    assert other.locator("button.respect").first.get_attribute("aria-pressed") == "true"
    assert other.locator(".respect-count").first.inner_text() == "1"

    # Sort by most respected: the choice is in the URL, the respected thread comes first.
    me.click("nav.sorts >> text=Most respected")
    assert "sort=reactions" in me.url
    assert me.locator("ol.thread > li.comment").first.get_attribute("id") == other_id

    # Reply with an @mention picked from the autocomplete.
    other = me.locator(f"#{other_id}")
    other.locator("details.reply > summary").first.click()
    box = other.locator("details.reply textarea").first
    box.click()
    box.type("I agree, @tag")
    me.wait_for_selector(".mention-list li[role=option]")
    assert "@tagged" in me.locator(".mention-list li").first.inner_text()
    box.press("Enter")
    assert box.input_value() == "I agree, @tagged "
    box.type("what do you think?")
    other.locator("details.reply button[type=submit]").first.click()
    reply = me.locator("ol.replies li.comment", has_text="I agree, @tagged what do you think?")
    assert reply.count() == 1

    # The mentioned reader: the bell, the notification, the e-mail.
    tagged.goto(f"{base}/")
    assert tagged.locator(".bell-count").inner_text() == "1"
    tagged.click("a.bell")
    assert "Wally Walker mentioned you" in tagged.locator("ul.alerts").inner_text()
    # The sign-up's "confirm your address" message may come first: wait for the mention's.
    deadline = time.monotonic() + 30
    while not [m for m in mailbox.to("tess@example.com") if "mentioned you" in m["Subject"]]:
        assert time.monotonic() < deadline, [m["Subject"] for m in mailbox.to("tess@example.com")]
        time.sleep(0.2)
    mail = next(m for m in mailbox.to("tess@example.com") if "mentioned you" in m["Subject"])
    assert mail["Subject"] == "Wally Walker mentioned you in a comment"
    assert f"/articles/{SLUG}#c" in mail.get_content()

    # A moderator features the comment that was respected; the screenshot of the new article page.
    api = httpx.Client(base_url=base, timeout=30)
    mod = {"Authorization": "Bearer " + api.post("/api/v1/session", json={
        "username": "moderator", "password": "moderator-demo-pass"}).json()["token"]}
    assert api.put(f"/api/v1/moderation/comments/{other_id[1:]}/featured", headers=mod,
                   json={"on": True}).status_code == 204
    me.goto(f"{base}/articles/{SLUG}?sort=reactions#comments")
    assert me.locator("section.featured").count() == 1
    if screenshot_dir:
        me.screenshot(path=str(screenshot_dir / "article-readers.png"), full_page=True)

    # Mute: the muted reader's comments collapse for this reader only.
    first_jamie = me.locator("li.comment", has_text="If a warning really reached").first
    first_jamie.locator("form[action$='/mute'] button").first.click()
    assert me.locator("details.muted > summary", has_text="Jamie Reader, whom you muted").count() >= 1

    # Download everything about me.
    me.goto(f"{base}/me")
    with me.expect_download() as dl:
        me.click("a[href='/me/data.json']")
    data = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["username"] == "walker"
    assert any("publish the warning in full" in c["text"] for c in data["comments"])
    assert data["reactions"] and data["mutes"]

    # The same pages in Traditional Chinese show no English interface text.
    zh_ctx = browser.new_context(locale="zh-TW", extra_http_headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    zh = zh_ctx.new_page()
    log_in(zh, base, "walker", "walk-password-1")
    ALLOWED.update({"Wally", "Walker", "Tess", "Tagged", "Jamie", "Reader", "HarbourWatcher", "Rosa", "Lindqvist",
                    "Editor", "Sam", "Okafor", "walker"})  # names are content
    for path in (f"/articles/{SLUG}?sort=reactions", f"/embed/{SLUG}", "/notifications", "/users/walker",
                 "/me/delete", "/login"):
        zh.goto(base + path)
        assert zh.evaluate("document.documentElement.lang") == "zh-TW", path
        leftovers = english_words(zh.content())
        assert not leftovers, (path, leftovers[:20])
    if screenshot_dir:
        zh.goto(f"{base}/articles/{SLUG}?sort=reactions#comments")
        zh.screenshot(path=str(screenshot_dir / "article-zh-tw.png"), full_page=True)
    zh_ctx.close()

    # Delete the account, comments removed; the log-in is gone.
    me.goto(f"{base}/me/delete")
    me.check("input[name=comments][value=remove]")
    me.fill("#password", "walk-password-1")
    me.click("form.delete-account button[type=submit]")
    assert me.url.startswith(f"{base}/")
    me.goto(f"{base}/articles/{SLUG}")
    assert "publish the warning in full" not in me.content()
    assert me.locator(f"#{mine_id}").count() == 0
    log_in(me, base, "walker", "walk-password-1")
    assert "wrong username or password" in me.content()
    assert not errors, errors
