"""docs/deploy.md, followed as written: its deploy block runs against a fresh PostgreSQL database,
then two of the server's worker processes take comments."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("REMARKS_TEST_POSTGRES_URL")
DOC = Path(__file__).parents[2] / "docs" / "deploy.md"

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server scripts/test starts")


def deploy_block() -> str:
    doc = DOC.read_text()
    block = doc.split("<!-- deploy:begin -->")[1].split("<!-- deploy:end -->")[0]
    return re.search(r"```sh\n(.*?)```", block, re.S).group(1)


def test_deploy_doc_as_written(tmp_path):
    name = "deploy_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = re.sub(r"/[^/]*$", f"/{name}", PG_URL)
    port = 18000 + os.getpid() % 1000
    script = deploy_block()
    # The only changes: our database, our port, our tools, and the server left running in the background.
    script = re.sub(r'REMARKS_DATABASE_URL="[^"]*"', f'REMARKS_DATABASE_URL="{url}"', script)
    script = script.replace("--port 8000", f"--port {port}").replace("--workers 4", "--workers 2")
    script = script.replace("remarks serve", "exec remarks serve")
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    log = open(tmp_path / "deploy.log", "w")  # noqa: SIM115 - the deploy script writes to it while it runs
    proc = subprocess.Popen(["bash", "-euc", script], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (tmp_path / "deploy.log").read_text()
            time.sleep(0.2)
        else:
            raise AssertionError((tmp_path / "deploy.log").read_text())
        r = httpx.post(base + "/api/v1/session", json={"username": "editor", "password": "change-this-admin-password"})
        assert r.status_code == 201
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        with create_engine(url).begin() as conn:
            conn.execute(text("INSERT INTO articles (slug, title, standfirst, body, byline, section, published_at) "
                              "VALUES ('s', 'A story', '', 'Body', '', 'News', now())"))
        codes = [httpx.post(base + "/api/v1/articles/1/comments", headers=h, json={"text": f"remark {i}"}).status_code
                 for i in range(6)]
        assert codes[:5] == [201] * 5  # five a minute, then the rate limit (shared by both workers)
        assert codes[5] == 429
        logged = (tmp_path / "deploy.log").read_text()
        assert '"logger": "remarks.http"' in logged  # JSON logs, as the doc sets
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(10)
        log.close()
        admin.dispose()
