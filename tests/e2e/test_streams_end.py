"""An open live-update stream (five minutes long) neither keeps the server from stopping on SIGTERM
(REMARKS_SHUTDOWN_SECONDS) nor holds a HEAD request open (web/head.py ends it at the first body)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from e2e.conftest import LiveServer


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path, {"REMARKS_CHECKS": "[]", "REMARKS_SHUTDOWN_SECONDS": "2"})
    yield server
    server.stop()


def _slug(server: LiveServer) -> str:
    return httpx.get(server.url + "/api/v1/articles", timeout=10).json()[0]["slug"]


def _listen(url: str, got: list[bytes]) -> None:
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(10, read=None)) as r:
            for chunk in r.iter_bytes():
                got.append(chunk)
    except httpx.HTTPError:
        got.append(b"<cut>")


def test_sigterm_with_a_stream_open_stops_after_the_grace(server):
    got: list[bytes] = []
    reader = threading.Thread(target=_listen, args=(f"{server.url}/articles/{_slug(server)}/events", got), daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while not any(b"event: published" in c for c in got) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any(b"event: published" in c for c in got), got  # the stream is open and sending
    server.proc.terminate()
    started = time.monotonic()
    server.proc.wait(60)  # without the grace: up to the stream's 300 s lifetime
    assert time.monotonic() - started < 60
    reader.join(10)
    assert not reader.is_alive()
    server.log.flush()
    assert "graceful shutdown exceeded" in Path(server.log.name).read_text()


def test_head_on_a_stream_ends_the_response(server):
    url = f"{server.url}/articles/{_slug(server)}/events"
    with httpx.Client(timeout=20, limits=httpx.Limits(max_connections=1)) as client:
        r = client.head(url)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.content == b""
        # The same connection serves the next request: the server ended the response instead of running the
        # stream (300 s) behind the headers it sent.
        assert client.get(server.url + "/healthz").status_code == 200
