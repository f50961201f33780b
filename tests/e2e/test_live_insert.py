"""New comments appear live: one reader posts in one browser, another reader's open page (a second
browser context) gets the comment put in place within seconds, without a reload, as the server renders
it (escaped), announced to screen readers, without moving what the reader was looking at. A held
comment never reaches the other reader."""

import re

import httpx
import pytest

pytestmark = pytest.mark.browser

SLUG = "border-attack-inquiry"
# Markup in a comment is text: the inserted fragment must show it, never run or render it.
MARKUP = 'Live from the inquiry <img src=x id=pwned onerror="document.title=1"> <b>bold</b> it said.'


@pytest.fixture
def server_env():
    return {"REMARKS_CHECKS": '["wordlist", "links"]', "REMARKS_COMMENTS_PER_MINUTE": "100"}


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def post(page, text, parent=None):
    """Post through the page's own form (a reply through the reply form of ``parent``)."""
    if parent is None:
        page.fill("#comment-text", text)
        page.click("#new-comment button[type=submit]")
    else:
        box = page.locator(f"#{parent}")
        box.locator(":scope > details.reply > summary").click()
        box.locator(":scope > details.reply textarea").fill(text)
        box.locator(":scope > details.reply button[type=submit]").click()
    if page.locator("#nudge").count():  # the checks warned before posting: post anyway
        page.locator("form.comment-form:has(input[name=confirm]) button[type=submit]").first.click()
    m = re.search(r"#c(\d+)$", page.url)
    assert m, page.url
    return f"c{m.group(1)}"


def top_of(page, selector):
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


def test_a_comment_posted_in_one_browser_appears_in_another(live_server, browser):
    base = live_server.url
    errors = []
    writer = browser.new_context(viewport={"width": 1000, "height": 700}).new_page()
    watcher = browser.new_context(viewport={"width": 1000, "height": 500}).new_page()
    anon = browser.new_context(viewport={"width": 1000, "height": 600}).new_page()
    for p in (writer, watcher, anon):
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.on("dialog", lambda d: errors.append("dialog: " + d.message))
    log_in(writer, base, "reader", "reader-demo-pass")
    log_in(watcher, base, "editor", "editor-demo-pass")
    writer.goto(f"{base}/articles/{SLUG}")
    watcher.goto(f"{base}/articles/{SLUG}")
    anon.goto(f"{base}/embed/{SLUG}")

    roots = watcher.locator("ol.thread > li.comment")
    assert roots.count() >= 2
    first_id = roots.nth(0).get_attribute("id")
    # The watcher reads the last comment of the thread: the first comment is above the window.
    anchor = f"#{roots.nth(roots.count() - 1).get_attribute('id')}"
    watcher.evaluate("window.scrollBy(0, %d)" % (top_of(watcher, anchor) - 20))
    assert top_of(watcher, f"#{first_id}") < 0
    before_top, before_y = top_of(watcher, anchor), watcher.evaluate("window.scrollY")
    count_before = int(watcher.locator("#comments-title .count").inner_text().strip("()"))

    # 1. A held comment: only its author sees it; it is never sent to anyone else.
    held_id = post(writer, "You are all fucking idiots on this inquiry.")
    assert writer.locator(f"#{held_id}.state-held").count() == 1

    # 2. A reply to the first comment (above the watcher's window), then a new top-level comment.
    reply_id = post(writer, "A live reply: the warning reached the ministry on the Friday.", parent=first_id)
    top_id = post(writer, MARKUP)

    watcher.wait_for_selector(f"#{first_id} > ol.replies > #{reply_id}", state="attached", timeout=15000)
    watcher.wait_for_selector(f"ol.thread > #{top_id}", state="attached", timeout=15000)
    # Where the reader was reading has not moved, although a reply went in above it.
    assert abs(top_of(watcher, anchor) - before_top) <= 1
    assert watcher.evaluate("window.scrollY") > before_y
    # Escaped: the markup is text, no element was made from it, nothing ran.
    body = watcher.locator(f"#{top_id} .comment-body")
    assert "<img src=x" in body.inner_text() and "<b>bold</b>" in body.inner_text()
    assert watcher.locator("#pwned").count() == 0 and body.locator("b").count() == 0
    assert watcher.title() != "1"
    # Put in place as the thread renders it: this reader's own Respect form, the count heading, the
    # polite announcement; the "new comments — show" link is not needed.
    assert watcher.locator(f"#{top_id} button.respect").count() == 1
    assert int(watcher.locator("#comments-title .count").inner_text().strip("()")) == count_before + 2
    say = watcher.locator("#live-announce")
    assert say.get_attribute("aria-live") == "polite"
    for _ in range(40):
        if say.inner_text():
            break
        watcher.wait_for_timeout(100)
    assert re.fullmatch(r"(A new comment by .+ was added to the thread\.|2 new comments were added to the thread\.)",
                        say.inner_text()), say.inner_text()
    assert watcher.locator("#live").is_hidden()
    # The held comment did not reach the watcher nor the anonymous embed; the fragment refuses to show it.
    anon.wait_for_selector(f"ol.thread > #{top_id}", state="attached", timeout=15000)
    assert anon.locator(f"#{reply_id}").count() == 1
    for p in (watcher, anon):
        assert p.locator(f"#{held_id}").count() == 0 and "fucking" not in p.content()
    cookies = {c["name"]: c["value"] for c in watcher.context.cookies()}
    frag = httpx.get(f"{base}/articles/{SLUG}/comments/fragment?ids={held_id[1:]},{top_id[1:]}", cookies=cookies)
    assert frag.status_code == 200 and f'id="{top_id}"' in frag.text and f'id="{held_id}"' not in frag.text
    assert httpx.get(f"{base}/articles/{SLUG}/comments/fragment?ids=x").status_code == 400

    # The inserted comment works like any other: Respect from the watcher's page.
    watcher.locator(f"#{top_id} button.respect").click()
    assert watcher.locator(f"#{top_id} .respect-count").first.inner_text() == "1"
    assert not errors, errors


def test_newest_first_puts_it_on_top_and_other_orders_offer_the_link(live_server, browser):
    base = live_server.url
    newest = browser.new_context().new_page()
    respected = browser.new_context().new_page()
    newest.goto(f"{base}/articles/{SLUG}?sort=newest")
    respected.goto(f"{base}/articles/{SLUG}?sort=reactions")
    writer = browser.new_context().new_page()
    log_in(writer, base, "reader", "reader-demo-pass")
    writer.goto(f"{base}/articles/{SLUG}")
    cid = post(writer, "Newest first: this goes on top of the thread.")
    newest.wait_for_selector(f"#{cid}", state="attached", timeout=15000)
    assert newest.locator("ol.thread > li.comment").first.get_attribute("id") == cid
    # Most respected: where a new comment belongs is not known on this page, so the link is offered.
    respected.wait_for_selector("#live:not([hidden])", timeout=15000)
    assert respected.locator("#live-link").inner_text() == "1 new comment — show"
    assert respected.locator(f"#{cid}").count() == 0
