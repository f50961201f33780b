"""Many more concurrent requests than database connections: 150 clients at once against the real
server in a subprocess (one process, REMARKS_THREADS threads). No request may wait on the connection
pool until it gives up (a 503 "database unavailable" or a 500): a request holds a connection only
while it runs database statements, never while it waits for a thread or for the scoring thread.
Every comment answered 201/202 is in the database afterwards; a post refused under surge gets 503
with Retry-After; every read is answered 200. SQLite, and PostgreSQL when it is there."""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import bindparam, create_engine, text

from e2e.conftest import LiveServer
from remarks import db as dbmod
from remarks.models import Article
from remarks.services import accounts

CLIENTS = 150
USERS = 10
SECONDS = 6.0
PASSWORD = "pool-test-password"


@pytest.fixture
def seeded(db_url) -> tuple[str, int]:
    engine = dbmod.make_engine(db_url)
    hashed = accounts.hash_password(PASSWORD)
    with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
        for i in range(USERS):
            accounts.create_user(s, None, username=f"crowd{i}", password=PASSWORD, password_hash=hashed)
        a = Article(slug="big-story", title="The dam has failed", body="Water reached the town at dawn.")
        s.add(a)
        s.flush()
        article_id = a.id
    engine.dispose()
    return db_url, article_id


@pytest.fixture
def server(tmp_path, seeded):
    db_url, _ = seeded
    env = {"REMARKS_CHECKS": '["wordlist", "links"]', "REMARKS_COMMENTS_PER_MINUTE": "1000000",
           "REMARKS_WEBHOOKS_ENABLED": "false", "REMARKS_LOG_LEVEL": "WARNING",
           # Low surge bounds so that both kinds of answer under a surge happen here: 202 pending and 503.
           "REMARKS_SURGE_PENDING_AT": "40", "REMARKS_SURGE_REFUSE_AT": "120"}
    s = LiveServer(tmp_path, env, demo=False, db_url=db_url)
    yield s
    s.stop()


async def _crowd(url: str, article_id: int, heads: list[dict[str, str]]) -> dict:
    seen: dict = {"posted": {}, "answers": [], "slowest": 0.0}
    end = time.monotonic() + SECONDS
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def client(i: int, c: httpx.AsyncClient) -> None:
        n = 0
        while time.monotonic() < end:
            n += 1
            t0 = time.monotonic()
            posting = bool((i + n) % 3)  # two posts for every read
            try:
                if posting:
                    key = uuid.uuid4().hex
                    r = await c.post(f"/api/v1/articles/{article_id}/comments", headers=heads[i % len(heads)],
                                     json={"text": f"Was the town warned in time? ({key[:8]})", "idempotency_key": key})
                    if r.status_code in (201, 202):
                        seen["posted"][key] = r.json()["id"]
                else:
                    r = await c.get(f"/api/v1/articles/{article_id}", headers=heads[i % len(heads)] if i % 2 else {})
            except httpx.HTTPError as exc:  # no answer within the timeout: as wrong as a 500
                seen["answers"].append(("POST" if posting else "GET", 0, None, repr(exc)))
                continue
            finally:
                seen["slowest"] = max(seen["slowest"], time.monotonic() - t0)
            seen["answers"].append((r.request.method, r.status_code, r.headers.get("retry-after"), r.text[:200]))
            if r.status_code == 503:
                await asyncio.sleep(0.2)

    async with httpx.AsyncClient(base_url=url, timeout=40, limits=limits) as c:
        await asyncio.gather(*(client(i, c) for i in range(CLIENTS)))
    return seen


def test_150_concurrent_clients_no_pool_timeout_nothing_lost(server, seeded):
    db_url, article_id = seeded
    heads = []
    for i in range(USERS):
        r = httpx.post(f"{server.url}/api/v1/session", json={"username": f"crowd{i}", "password": PASSWORD}, timeout=60)
        assert r.status_code == 201, r.text
        heads.append({"Authorization": f"Bearer {r.json()['token']}"})

    # In a thread of its own: Playwright's sync API may keep an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(asyncio.run, _crowd(server.url, article_id, heads)).result()

    answers = seen["answers"]
    wrong = [a for a in answers if not (
        (a[0] == "GET" and a[1] == 200)
        or (a[0] == "POST" and a[1] in (201, 202))
        or (a[0] == "POST" and a[1] == 503 and a[2] and '"busy"' in a[3]))]  # surge refusal, Retry-After
    assert not wrong, f"{len(wrong)} of {len(answers)} answers wrong, e.g. {wrong[:3]}"
    assert len(seen["posted"]) >= 50, f"only {len(seen['posted'])} comments accepted"
    assert seen["slowest"] < 30, f"a request took {seen['slowest']:.1f} s"

    keys = list(seen["posted"])
    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT idempotency_key, id FROM comments WHERE idempotency_key IN :keys")
                                   .bindparams(bindparam("keys", expanding=True)), {"keys": keys}).all())
    engine.dispose()
    lost = [k for k in keys if stored.get(k) != seen["posted"][k]]
    assert not lost, f"{len(lost)} of {len(keys)} accepted comments are not in the database"
