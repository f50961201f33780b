"""The real server in a subprocess, and real headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CHROMIUM = os.environ.get("REMARKS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, tmp: Path, env: dict[str, str], demo: bool = True, port: int | None = None,
                 args: tuple[str, ...] = (), db_url: str | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url or f"sqlite:///{tmp / 'live.db'}"
        self.log = open(tmp / "server.log", "w")  # noqa: SIM115 - the server writes to it while it runs; closed at stop
        cmd = [sys.executable, "-m", "remarks.cli", "serve", "--db", self.db_url, "--port", str(self.port)]
        if demo:
            cmd.append("--demo")
        cmd.extend(args)
        # A page's live stream may still be open at stop: cut it after 1 s instead of the default 5.
        env = {"REMARKS_SHUTDOWN_SECONDS": "1", **env}
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **env})
        deadline = time.monotonic() + 180  # a loaded machine loads the models slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {(tmp / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start in 180 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the live server; a test module overrides this fixture."""
    return {}


@pytest.fixture
def live_server(tmp_path, server_env):
    server = LiveServer(tmp_path, server_env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Set REMARKS_SCREENSHOT_DIR=docs to refresh the README's screenshots."""
    d = os.environ.get("REMARKS_SCREENSHOT_DIR")
    return Path(d) if d else None
