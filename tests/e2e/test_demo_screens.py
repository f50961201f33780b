"""scripts/demo's lived-in desk in Chromium: the queue and the statistics have content on first start.
With REMARKS_SCREENSHOT_DIR=docs it refreshes docs/demo-queue.png and docs/demo-stats.png."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(tmp_path):
    server = LiveServer(tmp_path, {"REMARKS_WEBHOOKS_ENABLED": "false"}, args=("--demo-history",))
    yield server
    server.stop()


def test_the_demo_desk_and_statistics_have_content(demo_server, browser, screenshot_dir):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(demo_server.url + "/login?next=/desk")
    page.fill("#username", "moderator")
    page.fill("#password", "moderator-demo-pass")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo_server.url + "/desk")
    items = page.locator("article.queue-item")
    assert items.count() >= 5, page.inner_text("main")[:500]
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "demo-queue.png"), full_page=False)
    page.goto(demo_server.url + "/desk/stats")
    imgs = page.locator(".stats-grid img")
    assert imgs.count() >= 7 and page.locator(".stats-empty").count() == 0
    page.wait_for_function("[...document.querySelectorAll('.stats-grid img')].every(i => i.complete && i.naturalWidth > 0)")
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "demo-stats.png"), full_page=True)
