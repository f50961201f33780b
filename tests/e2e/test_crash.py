"""Crash safety: kill -9 the server in the middle of a load and restart it — every acknowledged
comment is there exactly once and whole. PostgreSQL stopped during a load: requests get 503 with a
reason, and the service recovers by itself when the database is back."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
import load  # (bench/load.py: the same load generator the benchmark uses)

CHECKS = '["wordlist", "links"]'


def test_kill_9_mid_load_loses_nothing(tmp_path):
    db = f"sqlite:///{tmp_path / 'crash.db'}"
    port = load.free_port()
    proc = load.start_server(db, port, checks=CHECKS, log=tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    heads = load.tokens(base, 6)

    async def load_then_kill():
        task = asyncio.create_task(load.load(base, heads, seconds=4.0))
        await asyncio.sleep(2.0)
        os.killpg(proc.pid, signal.SIGKILL)  # mid-load, no goodbye
        return await task

    # In a thread of its own: after a browser test, Playwright's sync API keeps an event loop
    # running in this thread, and asyncio.run refuses to start a second one here.
    with ThreadPoolExecutor(1) as pool:
        tally = pool.submit(asyncio.run, load_then_kill()).result()
    proc.wait(10)
    assert len(tally.acked) > 20, "the load did not run long enough before the kill"
    proc = load.start_server(db, port, checks=CHECKS, log=tmp_path / "server.log")  # restart on the same file
    try:
        result = load.verify(db, tally)
        assert result["missing"] == 0 and result["duplicated"] == 0 and result["half_written"] == 0, result
        with create_engine(db).connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            # Nothing half-written anywhere: every comment has its checks, a decision and two audit events.
            orphans = conn.execute(text(
                "SELECT count(*) FROM comments c WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = c.id)"
            )).scalar()
            assert orphans == 0
        r = httpx.post(f"{base}/api/v1/articles/1/comments", headers=heads[0], json={"text": "After the restart."})
        assert r.status_code == 201
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


PG_BIN = os.environ.get("REMARKS_TEST_PG_BIN")


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class OwnServer:
    """A PostgreSQL server of this test's own (initdb in a temporary directory): stopping it leaves the
    suite's shared server, and the tests running beside this one, alone."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: its parents are closed to the postgres user that runs the server as root.
        self.dir, self.port = Path(tempfile.mkdtemp(prefix="remarks-pg-")), load.free_port()
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(self.dir)], check=True)
        self.run("initdb", "-D", str(self.dir / "data"), "-U", "remarks", "--auth=trust")
        self.start()
        self.url = f"postgresql+psycopg://remarks@127.0.0.1:{self.port}/postgres"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(_as_postgres([f"{PG_BIN}/{tool}", *args]), check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *args: str) -> None:
        self.run("pg_ctl", "-D", str(self.dir / "data"), *args)

    def start(self) -> None:
        self.pg_ctl("-w", "-l", str(self.dir / "log"), "-o", f"-p {self.port} -k {self.dir} "
                    "-c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "stop")

    def remove(self) -> None:
        subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.skipif(not PG_BIN, reason="needs PostgreSQL's programs (scripts/test finds them)")
def test_postgres_restart_gives_503_then_recovers(tmp_path):
    pg = OwnServer()
    try:
        _restart_gives_503_then_recovers(pg, tmp_path)
    finally:
        pg.remove()


def _restart_gives_503_then_recovers(pg: OwnServer, tmp_path: Path) -> None:
    name = "crash_" + uuid.uuid4().hex[:8]
    admin = create_engine(pg.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    db = pg.url.rsplit("/", 1)[0] + f"/{name}"
    port = load.free_port()
    proc = load.start_server(db, port, checks=CHECKS, log=tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    heads = load.tokens(base, 2)
    try:
        pg.stop()
        codes = []
        for _ in range(5):
            r = httpx.post(f"{base}/api/v1/articles/1/comments", headers=heads[0], json={"text": "While down."},
                           timeout=30)
            codes.append(r.status_code)
        assert set(codes) == {503}, codes
        assert "database is unavailable" in r.json()["error"]["message"]
        assert httpx.get(f"{base}/healthz").status_code == 503
        pg.start()
        deadline = time.monotonic() + 30
        ok = False
        while time.monotonic() < deadline and not ok:
            r = httpx.post(f"{base}/api/v1/articles/1/comments", headers=heads[0], json={"text": "Back again."},
                           timeout=30)
            ok = r.status_code == 201
            time.sleep(0.3)
        assert ok, "the service did not recover by itself"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)

