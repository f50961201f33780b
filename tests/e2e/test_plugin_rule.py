"""A rule added by a plug-in acts like the built-in four: the example package in
``examples/phone-rule`` (the code ``docs/writing-checks.md`` shows) is installed with pip into a folder
of its own, the real server runs with it, and in Chromium its score holds a comment, a moderator cites
it with one key, the statement of reasons names it and the Transparency Database export carries it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from e2e.conftest import LiveServer
from e2e.test_walk import log_in

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).parents[2] / "examples" / "phone-rule"
TEXT = "The families want answers. Anyone who saw the convoy can call me on 0612 345 678 tonight."


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("plugin")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                           "--target", str(target), str(EXAMPLE)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def test_a_plugin_rule_holds_is_cited_stated_and_exported(tmp_path, plugin_dir, browser):
    path = os.pathsep.join(p for p in (str(plugin_dir), os.environ.get("PYTHONPATH", "")) if p)
    server = LiveServer(tmp_path, {"PYTHONPATH": path})
    try:
        base = server.url
        rules = {r["name"]: r for r in httpx.get(f"{base}/api/v1/rules").json()}
        assert rules["phone"]["label"] == "Phone numbers" and rules["phone"]["citable"]

        # The reader posts a phone number on the terrorism story: the nudge names the house rule; posted, it is held.
        reader = browser.new_context().new_page()
        log_in(reader, base, "reader", "reader-demo-pass")
        reader.goto(f"{base}/articles/border-attack-inquiry")
        reader.fill("#comment-text", TEXT)
        reader.click("#new-comment button[type=submit]")
        assert "phone numbers" in reader.locator("#nudge").inner_text().lower()
        reader.click("#new-comment button[type=submit]")  # post anyway
        assert reader.locator("li.comment.state-held", has_text="call me on").count() == 1

        # The moderator sees the evidence in the rule's colour and removes it citing the rule, by keyboard.
        mod = browser.new_context().new_page()
        log_in(mod, base, "moderator", "moderator-demo-pass")
        mod.goto(f"{base}/desk?rule=phone")
        item = mod.locator("article.queue-item", has_text="call me on")
        assert item.count() == 1
        assert item.locator(".held-text mark.ev-phone", has_text="0612 345 678").count() == 1
        assert "phone score" in item.locator(".why").inner_text()
        assert item.locator("select[name=rule]").input_value() == "phone"  # pre-selected: the rule that held it
        mod.keyboard.press("r")
        assert "removed" in mod.locator(".notice.ok").inner_text()

        # The author's statement of reasons names the house rule and quotes it.
        reader.goto(f"{base}/me")
        statement = reader.locator("body").inner_text()
        assert "Phone numbers" in statement and "Do not post phone numbers" in statement
    finally:
        server.stop()

    # The Transparency Database export carries the rule's ground and category.
    out = tmp_path / "statements.jsonl"
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-m", "remarks.cli", "statements", "export", "--db", server.db_url,
                           "--out", str(out)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    phone = [r for r in rows if r["incompatible_content_ground"] == "House rule: no phone numbers"]
    assert phone and phone[0]["category"] == "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"
