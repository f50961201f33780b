"""Issue 11's "done when", walked in headless Chromium against the real server, with e-mail captured
by the test's own SMTP server (aiosmtpd): an illegal-content notice -> the reports queue -> removal
citing a legal ground -> the notifier and the author each get an e-mail and see the decision -> the
author appeals -> another moderator upholds -> the Transparency export carries the legal ground.
Also: a ban lifted lets the user post again; a password reset through the e-mailed link."""

import json
import re

import pytest

from smtp_capture import text_of

pytestmark = pytest.mark.browser

TARGET = "The smugglers who moved the weapons"
STORY = "/articles/border-attack-inquiry"
NOTICE = "It says named people should face criminal charges as if they were proven guilty: defamation."


@pytest.fixture
def server_env(mailbox):
    return {"REMARKS_SMTP_HOST": "127.0.0.1", "REMARKS_SMTP_PORT": str(mailbox.port), "REMARKS_SMTP_TLS": "none",
            "REMARKS_MAIL_INTERVAL": "0.3", "REMARKS_MAIL_FROM": "comments@daily.example"}


def log_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def mail(mailbox, to, subject, timeout=20.0):
    """The one e-mail with this subject to this address (waiting for the delivery worker)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mailbox.to(to) if m["Subject"] == subject]
        if found:
            time.sleep(0.8)  # a second copy would arrive now
            found = [m for m in mailbox.to(to) if m["Subject"] == subject]
            assert len(found) == 1, f"{len(found)} copies of {subject!r} to {to}"
            return text_of(found[0])
        time.sleep(0.2)
    raise AssertionError(f"no e-mail {subject!r} to {to}; got {[(m['To'], m['Subject']) for m in mailbox.messages]}")


def test_illegal_content_notice_to_upheld_appeal(live_server, browser, mailbox):
    base = live_server.url
    ctx = {n: browser.new_context() for n in ("reader", "mod", "author", "editor")}
    reader, mod, author, editor = (ctx[n].new_page() for n in ("reader", "mod", "author", "editor"))

    # A reader files an illegal-content notice with an explanation.
    log_in(reader, base, "reader", "reader-demo-pass")
    reader.goto(base + STORY)
    item = reader.locator("li.comment", has_text=TARGET).first
    item.locator("details.report summary").first.click()
    item.locator("input[name=reason][value=illegal]").first.check()
    item.locator("textarea[name=explanation]").first.fill(NOTICE)
    item.locator(".report-form button[type=submit]").first.click()
    assert "we received your report" in reader.locator(".notice.ok").inner_text()

    # It is in the reports queue, among the illegal-content notices, with the explanation.
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk/reports?kind=illegal")
    notice = mod.locator("article.report", has_text=TARGET).first
    assert NOTICE in notice.inner_text()
    # The moderator removes the comment citing a legal ground and where it applies.
    notice.locator("select[name=legal_ground]").select_option("defamation")
    notice.locator("input[name=legal_ground_text]").fill("Section 186 of the Criminal Code")
    notice.locator("input[name=territorial_scope]").fill("DE AT")
    notice.locator(".remove-form input[name=reason]").fill("It presents an accusation of a crime as fact.")
    notice.locator(".remove-form button[type=submit]").click()
    assert "removed" in mod.locator(".notice.ok").inner_text()

    # The notifier and the author each get an e-mail, once, and see the decision in the product.
    told = mail(mailbox, "reader@example.org", "The decision on your report")
    assert "We removed the comment you reported" in told and "Defamation" in told and "DE AT" in told
    statement = mail(mailbox, "harbourwatcher@example.org", "Your comment was removed")
    assert "Legal ground: Defamation" in statement and "Section 186" in statement and "DE AT" in statement
    assert "/unsubscribe/" in told
    reader.goto(f"{base}/me")
    assert "the comment was removed" in reader.locator("ul.my-reports").inner_text()
    log_in(author, base, "harbourwatcher", "harbour-demo-pass")
    author.goto(f"{base}/me")
    st = author.locator("article.statement").first
    assert "Illegal content" in st.inner_text() and "Section 186" in st.inner_text()

    # The author appeals; the deciding moderator may not decide it; another moderator upholds.
    st.locator("textarea[name=text]").fill("I only repeated what the article reports about the smugglers.")
    st.locator("button[type=submit]").click()
    assert "appeal was sent" in author.locator(".notice.ok").inner_text()
    mod.goto(f"{base}/desk/appeals")
    assert "another moderator must decide" in mod.content()
    log_in(editor, base, "editor", "editor-demo-pass")
    editor.goto(f"{base}/desk/appeals")
    editor.fill("input[name=answer]", "The comment presents guilt as fact about named people; it stays removed.")
    editor.click("button[value=upheld]")
    assert "upheld" in editor.locator(".notice.ok").inner_text()
    answer = mail(mailbox, "harbourwatcher@example.org", "The answer to your appeal")
    assert "it stands" in answer
    author.goto(f"{base}/me")
    assert "the decision stands" in author.locator("article.statement").first.inner_text()

    # The Transparency export carries the legal ground and the territorial scope.
    rows = [json.loads(x) for x in editor.request.get(f"{base}/desk/statements/transparency.jsonl").text().splitlines()]
    [row] = [r for r in rows if r["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"]
    assert "Defamation" in row["illegal_content_legal_ground"] and "186" in row["illegal_content_legal_ground"]
    assert row["territorial_scope"] == "DE AT" and row["source_type"] == "SOURCE_ARTICLE_16"
    for c in ctx.values():
        c.close()


def test_a_lifted_ban_lets_the_user_post_again(live_server, browser, mailbox):
    base = live_server.url
    mod, author, editor = (browser.new_context().new_page() for _ in range(3))
    log_in(author, base, "harbourwatcher", "harbour-demo-pass")
    author.goto(f"{base}/me")
    uid = author.request.get(f"{base}/api/v1/me").json()["id"]
    log_in(mod, base, "moderator", "moderator-demo-pass")
    mod.goto(f"{base}/desk/users/{uid}")
    form = mod.locator("form[action$='/sanctions']")
    form.locator("select[name=kind]").select_option("ban")
    form.locator("select[name=rule]").select_option("attack")
    form.locator("input[name=reason]").fill("insulting other readers")
    form.locator("button[type=submit]").click()

    author.goto(base + STORY)
    assert "banned" in author.locator(".notice.sanction").inner_text()

    mod.goto(f"{base}/desk/users/{uid}")
    lift = mod.locator("form.lift-form").first
    lift.locator("input[name=reason]").fill("The insult was a quotation from another reader; our mistake.")
    lift.locator("button[type=submit]").click()
    assert "lifted" in mod.locator(".notice.ok").inner_text()
    assert "lifted" in mail(mailbox, "harbourwatcher@example.org", "Your ban was lifted")

    author.goto(base + STORY)
    author.fill("#comment-text", "The inquiry should publish the border police warning in full.")
    author.click("#new-comment button[type=submit]")
    author.wait_for_load_state()
    assert "publish the border police warning in full" in author.content()
    author.goto(f"{base}/me")
    assert "This measure was lifted" in author.content() and "quotation from another reader" in author.content()
    log_in(editor, base, "editor", "editor-demo-pass")
    events = [json.loads(x) for x in editor.request.get(f"{base}/desk/audit.jsonl").text().splitlines()]
    lifted = [e for e in events if e["name"] == "user:sanction_lifted"]
    assert lifted and lifted[0]["subject_id"] == uid and "quotation" in lifted[0]["data"]["reason"]


def test_password_reset_through_the_emailed_link(live_server, browser, mailbox):
    base = live_server.url
    old_session, page = browser.new_context(), browser.new_context().new_page()
    old = old_session.new_page()
    log_in(old, base, "reader", "reader-demo-pass")
    old.goto(f"{base}/me")
    assert "Jamie Reader" in old.content()

    page.goto(f"{base}/login")
    page.click("text=Forgot your password?")
    page.fill("#email", "reader@example.org")
    page.click("form[action='/password/forgot'] button[type=submit]")
    assert "If an account has this e-mail address" in page.locator(".notice.ok").inner_text()
    body = mail(mailbox, "reader@example.org", "Choose a new password")
    path = re.search(r"https?://[^/\s]+(/password/reset/\S+)", body).group(1)
    page.goto(base + path)
    page.fill("#password", "a-brand-new-password")
    page.click("form button[type=submit]")
    assert "Password changed" in page.content()

    # The old session and the old password no longer work; the new one does; the link is spent.
    old.goto(f"{base}/me")
    assert "/login" in old.url
    log_in(page, base, "reader", "reader-demo-pass")
    assert "wrong username or password" in page.content()
    log_in(page, base, "reader", "a-brand-new-password")
    page.goto(f"{base}/me")
    assert "Jamie Reader" in page.content()
    page.goto(base + path)
    assert "not valid any more" in page.content()
    old_session.close()
