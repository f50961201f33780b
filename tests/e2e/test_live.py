"""Live updates: the Server-Sent Events stream of an article, and the page that listens to it."""

import json

import httpx
import pytest

pytestmark = pytest.mark.browser

SLUG = "border-attack-inquiry"


@pytest.fixture
def server_env():
    return {"REMARKS_CHECKS": '["wordlist", "links"]'}


def token(base, user, password):
    r = httpx.post(f"{base}/api/v1/session", json={"username": user, "password": password})
    return {"Authorization": "Bearer " + r.json()["token"]}


def events(lines):
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name:
            yield name, json.loads(line[6:])
            name = None


def test_stream_and_page_show_new_comments_and_reaction_counts(live_server, browser):
    base = live_server.url
    art = next(a for a in httpx.get(f"{base}/api/v1/articles").json() if a["slug"] == SLUG)
    first = httpx.get(f"{base}/api/v1/articles/{art['id']}").json()["comments"][0]["id"]
    assert httpx.get(f"{base}/articles/no-such-story/events").status_code == 404

    # The stream: the state first, then what changes.
    with httpx.stream("GET", f"{base}/articles/{SLUG}/events?since=999999", timeout=30) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        got = events(r.iter_lines())
        assert next(got) == ("published", {"new": 0, "latest": pytest.approx(0, abs=10**9), "comments": []})
        name, counts = next(got)
        assert name == "reactions"

    # The page (and the embed): another reader posts and reacts; this page shows it without a reload.
    page = browser.new_context().new_page()
    embed = browser.new_context().new_page()
    page.goto(f"{base}/articles/{SLUG}")
    embed.goto(f"{base}/embed/{SLUG}")
    assert page.locator("#live").is_hidden()
    reader = token(base, "reader", "reader-demo-pass")
    new_id = httpx.post(f"{base}/api/v1/articles/{art['id']}/comments", headers=reader,
                        json={"text": "A live comment about the border inquiry."}).json()["id"]
    httpx.put(f"{base}/api/v1/comments/{first}/respect", headers=token(base, "editor", "editor-demo-pass"),
              json={"on": True}).raise_for_status()
    for p in (page, embed):
        # The new comment is put in place (tests/e2e/test_live_insert.py has the details).
        p.wait_for_selector(f"#c{new_id}", state="attached", timeout=15000)
        assert "A live comment about the border inquiry." in p.locator(f"#c{new_id}").inner_text()
        assert p.locator("#live").is_hidden()
        count = p.locator(f'.respect-count[data-comment="{first}"]').first
        for _ in range(60):  # (wait_for_function would evaluate a string: the CSP forbids it)
            if count.inner_text() == "1":
                break
            p.wait_for_timeout(250)
        assert count.inner_text() == "1"
