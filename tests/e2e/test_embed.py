"""The embed on a CMS page with hostile CSS, served from another origin, in headless Chromium."""

import functools
import http.server
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[2] / "examples" / "embed.html"


@pytest.fixture
def cms(tmp_path, live_server):
    """The example page, pointed at the live server, served by a plain static server on another port."""
    (tmp_path / "site").mkdir()
    html = EXAMPLE.read_text().replace("http://127.0.0.1:8000", live_server.url)
    (tmp_path / "site" / "index.html").write_text(html)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_embed_shows_comments_logs_in_and_posts_despite_the_page_css(cms, browser, screenshot_dir):
    page = browser.new_context().new_page()
    page.goto(cms)
    frame_el = page.wait_for_selector("#remarks-comments iframe")
    assert frame_el.is_visible()
    box = frame_el.bounding_box()
    assert box["width"] > 300  # the page's "iframe { width: 10px; display: none }" did not win
    frame = frame_el.content_frame()
    frame.wait_for_selector("li.comment")
    assert "If a warning really reached the border police" in frame.inner_text("ol.thread")
    page.wait_for_function("document.querySelector('#remarks-comments iframe').getBoundingClientRect().height > 400")

    frame.click("text=Log in")
    frame.fill("#username", "reader")
    frame.fill("#password", "reader-demo-pass")
    frame.click("form[action='/login'] button[type=submit]")
    frame.wait_for_selector("#comment-text")
    assert frame.is_visible("#new-comment button[type=submit]")  # the page's "button { display: none }" did not win
    frame.fill("#comment-text", "The inquiry must publish the warning it says was ignored.")
    frame.click("#new-comment button[type=submit]")
    frame.wait_for_selector("li.comment >> text=The inquiry must publish the warning")
    assert "/embed/border-attack-inquiry" in frame.url
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "embed.png"), full_page=True)
