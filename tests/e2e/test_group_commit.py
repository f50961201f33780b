"""Posts written together (group commit, db/group.py) against the real server in a subprocess on
SQLite with its checks off: many posts at once, each acknowledged exactly once, none lost, each with its
decision and audit events; a client's retry racing its first try stored once; posts refused at the write
(over the rate limit) refused alone, with a 429, while the posts written with them are kept."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

PER_MINUTE = 5
PASSWORD = "a-long-enough-password"


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"REMARKS_CHECKS": "[]", "REMARKS_COMMENTS_PER_MINUTE": str(PER_MINUTE),
            "REMARKS_WEBHOOKS_ENABLED": "false"}


def _users(db_url: str, names: list[str]) -> None:
    for name in names:
        subprocess.run([sys.executable, "-m", "remarks.cli", "user", "create", name, "--password", PASSWORD,
                        "--db", db_url], check=True, capture_output=True, timeout=120, env=os.environ.copy())


def _token(url: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/session", json={"username": username, "password": PASSWORD}, timeout=60)
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _groups(url: str) -> float:
    """How many groups of more than one write the server committed (its metrics)."""
    body = httpx.get(f"{url}/metrics", timeout=30).text
    total = float(re.search(r"^remarks_write_group_size_count (\S+)", body, re.M).group(1))
    ones = float(re.search(r'^remarks_write_group_size_bucket\{le="1.0"\} (\S+)', body, re.M).group(1))
    return total - ones


def test_posts_at_once_each_acknowledged_once_none_lost_refusals_alone(live_server):
    url = live_server.url
    writers = [f"writer{i}" for i in range(6)]
    _users(live_server.db_url, [*writers, "flooder"])
    heads = {name: _token(url, name) for name in [*writers, "flooder"]}
    article = httpx.get(f"{url}/api/v1/articles").json()[0]["id"]
    path = f"{url}/api/v1/articles/{article}/comments"
    # Each writer: PER_MINUTE posts (all allowed); writer0's first key sent twice (a retry racing its first
    # try); the flooder: 3 × PER_MINUTE posts at once, of which PER_MINUTE may be stored.
    posts = [(w, f"{w}-{j}", f"Remark {j} by {w} on the report.") for w in writers for j in range(PER_MINUTE)]
    posts.append(("writer0", "writer0-0", "Remark 0 by writer0 on the report."))
    posts += [("flooder", f"flood-{j}", f"Flood {j} on the report.") for j in range(3 * PER_MINUTE)]

    def send(p):
        who, key, words = p
        return p, httpx.post(path, json={"text": words, "idempotency_key": key}, headers=heads[who], timeout=120)

    with ThreadPoolExecutor(24) as pool:
        answers = list(pool.map(send, posts))

    codes = [r.status_code for _, r in answers]
    assert set(codes) <= {201, 429}, [(p, r.status_code, r.text[:200]) for p, r in answers if r.status_code not in (201, 429)]
    ok = [(p, r.json()["id"]) for p, r in answers if r.status_code == 201]
    refused = [p for p, r in answers if r.status_code == 429]
    assert all(p[0] == "flooder" for p in refused)  # nobody else refused: a refusal sank no one's post
    assert len(refused) == 2 * PER_MINUTE
    by_key: dict[str, set[int]] = {}
    for (_, key, _), cid in ok:
        by_key.setdefault(key, set()).add(cid)
    assert all(len(ids) == 1 for ids in by_key.values()), by_key  # the raced retry got its first try's comment
    assert len(by_key) == len(writers) * PER_MINUTE + PER_MINUTE

    engine = create_engine(live_server.db_url)
    try:
        with engine.connect() as c:
            rows = c.execute(text("SELECT c.id, c.idempotency_key, u.username FROM comments c "
                                  "JOIN users u ON u.id = c.author_id WHERE c.idempotency_key IS NOT NULL")).all()
            stored = {key: (cid, who) for cid, key, who in rows}
            assert len(rows) == len(stored)  # no key twice
            assert {k: {v[0]} for k, v in stored.items()} == by_key  # every acknowledged one there, nothing else
            for cid, _ in stored.values():
                names = c.execute(text("SELECT name FROM audit_events WHERE subject_type = 'comment' AND "
                                       "subject_id = :id ORDER BY id"), {"id": cid}).scalars().all()
                assert names == ["comment:created", "comment:published"], (cid, names)
                assert c.execute(text("SELECT count(*) FROM decisions WHERE comment_id = :id"), {"id": cid}).scalar() == 1
    finally:
        engine.dispose()
    assert _groups(url) >= 1  # some posts were in fact written together
