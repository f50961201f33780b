"""Accessibility: axe-core (bundled by axe-playwright-python, not hand-written rules) run in Chromium on
the article page, the embed, the desk queue, the profile and the reader's pages: no serious or critical
violation. Then the comment form, a reply and the desk used with the keyboard alone."""

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

SLUG = "border-attack-inquiry"


@pytest.fixture
def server_env():
    # Pre-moderation fills the desk queue; the word-list and link checks keep the test about pages.
    return {"REMARKS_HOLD_EVERYTHING": "true", "REMARKS_CHECKS": '["wordlist", "links"]'}


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def serious(page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found
            if v["impact"] in ("serious", "critical")]


def setup_content(base):
    api = httpx.Client(base_url=base, timeout=30)
    tok = lambda u, p: {"Authorization": "Bearer " + api.post(  # noqa: E731 - a one-line helper local to this test
        "/api/v1/session", json={"username": u, "password": p}).json()["token"]}
    mod = tok("moderator", "moderator-demo-pass")
    art = api.get("/api/v1/articles").json()
    aid = next(a["id"] for a in art if a["slug"] == SLUG)
    comments = api.get(f"/api/v1/articles/{aid}").json()["comments"]
    api.put(f"/api/v1/comments/{comments[0]['id']}/respect", headers=tok("reader", "reader-demo-pass"),
            json={"on": True})
    api.put(f"/api/v1/moderation/comments/{comments[0]['id']}/featured", headers=mod, json={"on": True})
    api.post(f"/api/v1/articles/{aid}/comments", headers=tok("reader", "reader-demo-pass"),
             json={"text": "A held comment for the desk queue, about the inquiry."})


def test_axe_finds_no_serious_violation(live_server, browser):
    base = live_server.url
    setup_content(base)
    results = {}
    ctx = browser.new_context()
    page = ctx.new_page()
    for path in ("/", f"/articles/{SLUG}", f"/embed/{SLUG}", "/users/reader", "/login", "/signup"):
        page.goto(base + path)
        results["anonymous " + path] = serious(page)
    log_in(page, base, "reader", "reader-demo-pass")
    for path in (f"/articles/{SLUG}?sort=reactions", f"/embed/{SLUG}", "/users/reader", "/notifications", "/me",
                 "/me/delete"):
        page.goto(base + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results["reader " + path] = serious(page)
    ctx.close()
    ctx = browser.new_context()
    page = ctx.new_page()
    log_in(page, base, "moderator", "moderator-demo-pass")
    for path in ("/desk", f"/articles/{SLUG}"):
        page.goto(base + path)
        results["moderator " + path] = serious(page)
    ctx.close()
    bad = {k: v for k, v in results.items() if v}
    assert not bad, bad


def test_comment_form_reply_and_desk_by_keyboard_alone(live_server, browser):
    base = live_server.url
    ctx = browser.new_context()
    page = ctx.new_page()
    log_in(page, base, "reader", "reader-demo-pass")
    page.goto(f"{base}/articles/{SLUG}")

    def tab_to(selector: str, limit: int = 200) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#comment-text")
    page.keyboard.type("Typed with the keyboard alone: who ignored the warning?")
    tab_to("#new-comment button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("li.comment", has_text="Typed with the keyboard alone").count() == 1
    # A reply: the Reply disclosure opens with Enter, the form inside takes the text.
    page.goto(f"{base}/articles/{SLUG}")
    tab_to("details.reply > summary")
    page.keyboard.press("Enter")
    tab_to("details.reply[open] textarea")
    page.keyboard.type("A keyboard reply about the inquiry.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("ol.replies li.comment", has_text="A keyboard reply about the inquiry").count() == 1
    ctx.close()
    # The desk: j/k move, a approves, with no mouse.
    ctx = browser.new_context()
    mod = ctx.new_page()
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk")
    before = mod.locator("article.queue-item").count()
    assert before >= 2
    with mod.expect_navigation():
        mod.keyboard.press("a")
    mod.goto(f"{base}/desk")
    assert mod.locator("article.queue-item").count() == before - 1
    ctx.close()
