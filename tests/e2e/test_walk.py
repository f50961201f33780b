"""The comment site walked in headless Chromium against the real server in a subprocess:
a commenter posts -> held (pre-moderation on) -> a moderator removes it citing a rule and
bans the author -> the public page no longer shows it -> the author's next post is refused
with the ban message."""

import pytest

pytestmark = pytest.mark.browser

COMMENT = "Every one of them should be driven out of this country, the lot of them."


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


@pytest.fixture
def server_env():
    return {"REMARKS_HOLD_EVERYTHING": "true"}


def test_post_hold_remove_ban_refuse(live_server, browser, screenshot_dir):
    base = live_server.url
    reader_ctx, mod_ctx = browser.new_context(), browser.new_context()
    reader, mod = reader_ctx.new_page(), mod_ctx.new_page()
    errors = []
    reader.on("pageerror", lambda e: errors.append(str(e)))

    # The commenter posts on the terrorism story; pre-moderation holds it.
    log_in(reader, base, "reader", "reader-demo-pass")
    reader.goto(f"{base}/articles/border-attack-inquiry")
    reader.fill("#comment-text", COMMENT)
    reader.click("#new-comment button[type=submit]")
    if reader.locator("#nudge").count():  # the checks warned before posting: post anyway
        reader.click("#new-comment button[type=submit]")
    held = reader.locator("li.comment.state-held")
    assert held.count() == 1
    assert "Awaiting moderation" in held.inner_text() and COMMENT in held.inner_text()
    if screenshot_dir:
        reader.screenshot(path=str(screenshot_dir / "article.png"), full_page=True)

    # Other readers don't see it.
    anon = browser.new_context().new_page()
    anon.goto(f"{base}/articles/border-attack-inquiry")
    assert COMMENT not in anon.content()

    # The moderator sees it in the queue with the article title, removes it citing a rule, bans the author.
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk")
    item = mod.locator("article.queue-item", has_text=COMMENT)
    assert item.count() == 1
    assert "Inquiry opens into border attack" in item.inner_text()
    if screenshot_dir:
        mod.screenshot(path=str(screenshot_dir / "queue.png"), full_page=True)
    item.locator("select[name=rule]").select_option("abuse")
    item.locator("input[name=reason]").fill("Hate against a group of people")
    item.locator("select[name=sanction]").select_option("ban")
    item.locator("button.remove").click()
    assert "removed" in mod.locator(".notice.ok").inner_text()
    assert mod.locator("article.queue-item", has_text=COMMENT).count() == 0

    # The public page no longer shows it, not even to its author.
    anon.reload()
    assert COMMENT not in anon.content()

    # The reader still has the old page with the form open: the next post is refused with the ban message.
    reader.fill("#comment-text", "Why was my comment removed?")
    reader.click("#new-comment button[type=submit]")
    notice = reader.locator(".notice.error").inner_text()
    assert "banned" in notice and "abusive or obscene language" in notice and "permanent" in notice
    assert reader.locator("#comment-text").input_value() == "Why was my comment removed?"  # nothing typed is lost
    assert COMMENT not in reader.locator("ol.thread").inner_text()
    assert errors == []
    for ctx in (reader_ctx, mod_ctx):
        ctx.close()


OFFTOPIC = "The typhoon wrecked the harbour wall and the fishing boats could not go out for weeks."
SPAM = "Cheap flights and hotels at www.super-cheap-trips.biz, use code NEWS50 today!"


def test_off_topic_and_link_spam_are_held_with_their_evidence(live_server, browser, screenshot_dir):
    base = live_server.url
    reader = browser.new_context().new_page()
    log_in(reader, base, "reader", "reader-demo-pass")
    for text in (OFFTOPIC, SPAM):
        reader.goto(f"{base}/articles/border-attack-inquiry")
        reader.fill("#comment-text", text)
        reader.click("#new-comment button[type=submit]")
        nudge = reader.locator("#nudge")
        assert nudge.count() == 1  # the checks warned before posting
        assert ("relevance" in nudge.inner_text().lower()) or ("promotion" in nudge.inner_text().lower())
        reader.click("#new-comment button[type=submit]")  # post anyway
        assert reader.locator("li.comment.state-held", has_text=text[:30]).count() == 1

    mod = browser.new_context().new_page()
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk")
    off = mod.locator("article.queue-item", has_text=OFFTOPIC[:30])
    assert "offtopic score" in off.locator(".why").inner_text()
    assert "Typhoon-hit harbour town begins to rebuild" in off.locator("table.checks").inner_text()  # closer story
    assert "Closest sentence of the article" in off.locator("table.checks").inner_text()
    spam = mod.locator("article.queue-item", has_text="use code NEWS50")
    assert "promotion score" in spam.locator(".why").inner_text()
    assert spam.locator(".held-text mark.ev-promotion", has_text="www.super-cheap-trips.biz").count() == 1
    if screenshot_dir:
        mod.screenshot(path=str(screenshot_dir / "queue.png"), full_page=True)
