"""Due process walked in headless Chromium against the real server: a reader reports a comment ->
it is held -> a moderator removes it with the keyboard -> the author sees the statement of
reasons -> appeals -> a second moderator reverses -> the comment is back on the page, and the
audit export shows every step."""

import json

import pytest

pytestmark = pytest.mark.browser

TARGET = "The smugglers who moved the weapons"
STORY = "/articles/border-attack-inquiry"


@pytest.fixture
def server_env(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("report_hold_weight = 1.0\n")  # one reader report holds a comment
    return {"REMARKS_POLICY_FILE": str(policy)}


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def test_report_remove_statement_appeal_reverse(live_server, browser, screenshot_dir):
    base = live_server.url
    ctx = {name: browser.new_context() for name in ("reader", "mod", "author", "editor")}
    reader, mod, author, editor = (ctx[n].new_page() for n in ("reader", "mod", "author", "editor"))

    # A reader reports the comment as a personal attack.
    log_in(reader, base, "reader", "reader-demo-pass")
    reader.goto(base + STORY)
    item = reader.locator("li.comment", has_text=TARGET).first
    item.locator("details.report summary").first.click()
    item.locator("input[name=reason][value=attack]").first.check()
    item.locator(".report-form button[type=submit]").first.click()
    assert "we received your report" in reader.locator(".notice.ok").inner_text()

    # It is held: gone from the public page.
    anon = browser.new_context().new_page()
    anon.goto(base + STORY)
    assert TARGET not in anon.content()

    # The moderator removes it with one key: the rule the report gave is pre-selected.
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk")
    assert TARGET in mod.locator("article.queue-item.active").inner_text()
    mod.keyboard.press("r")
    mod.wait_for_url("**/desk?done=*")
    assert "removed" in mod.locator(".notice.ok").inner_text()

    # The author sees the statement of reasons and appeals.
    log_in(author, base, "harbourwatcher", "harbour-demo-pass")
    author.goto(f"{base}/me")
    statement = author.locator("article.statement").first
    text = statement.inner_text()
    assert "Comment removed" in text and "Personal attack" in text and "reader report" in text
    assert "taken by a person" in text and "appeal" in text.lower()
    if screenshot_dir:
        author.screenshot(path=str(screenshot_dir / "statement.png"), full_page=True)
    statement.locator("textarea[name=text]").fill("I criticised smugglers in the story, not a reader.")
    statement.locator("button[type=submit]").click()
    assert "appeal was sent" in author.locator(".notice.ok").inner_text()

    # The first moderator may not decide it; a second one (the editor) reverses it.
    mod.goto(f"{base}/desk/appeals")
    assert "another moderator must decide" in mod.content()
    log_in(editor, base, "editor", "editor-demo-pass")
    editor.goto(f"{base}/desk/appeals")
    editor.fill("input[name=answer]", "You are right: the comment is about people in the story, not a reader.")
    editor.click("button[value=reversed]")
    assert "reversed" in editor.locator(".notice.ok").inner_text()

    # The comment is back, and the author got the answer.
    anon.reload()
    assert TARGET in anon.content()
    author.goto(f"{base}/me")
    assert "reversed" in author.locator("article.statement").first.inner_text()

    if screenshot_dir:
        editor.goto(f"{base}/desk/stats")
        editor.wait_for_load_state("networkidle")
        editor.screenshot(path=str(screenshot_dir / "stats.png"), full_page=True)

    # The audit export shows every step.
    events = [json.loads(line) for line in editor.request.get(f"{base}/desk/audit.jsonl").text().splitlines()]
    names = [e["name"] for e in events]
    for step in ("comment:reported", "comment:held", "comment:removed", "statement:issued", "appeal:filed",
                 "appeal:decided", "comment:restored"):
        assert step in names, step
    assert names.index("comment:reported") < names.index("comment:removed") < names.index("appeal:filed") \
        < names.index("comment:restored")
    for c in ctx.values():
        c.close()
