"""count.js on a publisher's list page (another origin) fills every <span data-remarks-count>."""

from __future__ import annotations

import functools
import http.server
import threading

import httpx
import pytest

pytestmark = pytest.mark.browser

LIST_PAGE = """<!doctype html><meta charset="utf-8"><title>Harbour Gazette</title>
<ul>
<li>Inquiry opens <span class="c" data-remarks-count="border-attack-inquiry">…</span></li>
<li>Typhoon <span class="c" data-remarks-count="typhoon-harbour-rebuild" data-remarks-count-one="{n} comment"
    data-remarks-count-many="{n} comments">…</span></li>
<li>Heat pumps <span class="c" data-remarks-count="heat-pump-grants">…</span></li>
<li>Not in remarks yet <span class="c" data-remarks-count="no-such-story">…</span></li>
<li>Again <span class="c" data-remarks-count="border-attack-inquiry">…</span></li>
</ul>
<script src="REMARKS/static/count.js" async></script>"""


@pytest.fixture
def list_page(tmp_path, live_server):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(LIST_PAGE.replace("REMARKS", live_server.url))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_count_js_fills_the_spans_with_published_counts(list_page, live_server, browser):
    want = httpx.get(live_server.url + "/api/v1/counts?articles=border-attack-inquiry,typhoon-harbour-rebuild,"
                     "heat-pump-grants,no-such-story").json()["counts"]
    assert want["border-attack-inquiry"] > 0
    page = browser.new_context().new_page()
    page.goto(list_page)
    page.wait_for_function("[...document.querySelectorAll('.c')].every(e => e.textContent !== '…')")
    got = page.eval_on_selector_all(".c", "els => els.map(e => e.textContent)")
    n = want["typhoon-harbour-rebuild"]
    assert got == [str(want["border-attack-inquiry"]), f"{n} comment" if n == 1 else f"{n} comments",
                   str(want["heat-pump-grants"]), "0", str(want["border-attack-inquiry"])]
