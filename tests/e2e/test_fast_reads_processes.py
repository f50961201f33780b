"""Two real server processes on one SQLite file: a comment posted through one is in the very next read
through the other, whether that read is answered by the fast path (web/fast_reads.py) or the app;
ETags change with it, and an unchanged thread revalidates to 304."""

from __future__ import annotations

import re

import httpx
import pytest

from e2e.conftest import LiveServer
from remarks import db as dbmod
from remarks.models import Article
from remarks.services import accounts

PASSWORD = "two-process-password"
ENV = {"REMARKS_CHECKS": '["wordlist", "links"]', "REMARKS_WEBHOOKS_ENABLED": "false",
       "REMARKS_COMMENTS_PER_MINUTE": "1000"}


@pytest.fixture
def servers(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    dbmod.upgrade(url)
    engine = dbmod.make_engine(url)
    with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
        for name in ("ann", "bob"):
            accounts.create_user(s, None, username=name, password=PASSWORD)
        a = Article(slug="flood", title="The river rose overnight", body="The lower town is under water.")
        s.add(a)
        s.flush()
        article_id = a.id
    engine.dispose()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = LiveServer(tmp_path / "one", ENV, demo=False, db_url=url)
    try:
        two = LiveServer(tmp_path / "two", ENV, demo=False, db_url=url)
    except BaseException:
        one.stop()
        raise
    yield one.url, two.url, article_id
    one.stop()
    two.stop()


def _fast(base: str, kind: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=30).text
    m = re.search(rf'^remarks_fast_reads_total{{kind="{kind}"}} (\S+)$', text, re.M)
    return float(m.group(1)) if m else 0.0


def _texts(r: httpx.Response) -> list[str]:
    return [c["text"] for c in r.json()["comments"]]


def test_a_post_through_one_process_is_in_the_next_read_through_the_other(servers):
    one, two, article_id = servers
    json_url, page_url = f"/api/v1/articles/{article_id}", "/articles/flood"
    for base in (one, two):
        for _ in range(2):  # the app builds, then the fast path answers
            assert httpx.get(base + json_url, timeout=30).json()["comments"] == []
            assert httpx.get(base + page_url, timeout=30).status_code == 200
    assert _fast(two, "json") >= 1 and _fast(two, "page") >= 1
    old = httpx.get(two + json_url, timeout=30)
    token = httpx.post(one + "/api/v1/session", json={"username": "ann", "password": PASSWORD}, timeout=30).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    posted = httpx.post(f"{one}/api/v1/articles/{article_id}/comments", json={"text": "Sandbags ran out at noon."},
                        headers=auth, timeout=30)
    assert posted.status_code == 201, posted.text

    # The other process's very next reads, anonymous and logged in: no stale thread.
    fresh = httpx.get(two + json_url, headers={"If-None-Match": old.headers["etag"]}, timeout=30)
    assert fresh.status_code == 200 and _texts(fresh) == ["Sandbags ran out at noon."]
    assert fresh.headers["etag"] != old.headers["etag"]
    served = _fast(two, "json")
    again = httpx.get(two + json_url, timeout=30)
    assert _fast(two, "json") == served + 1  # answered by the fast path now, with the new comment
    assert again.content == fresh.content and again.headers["etag"] == fresh.headers["etag"]
    assert "Sandbags ran out at noon." in httpx.get(two + page_url, timeout=30).text
    assert "Sandbags ran out at noon." in httpx.get(two + page_url, timeout=30).text
    assert httpx.get(two + json_url, headers={"If-None-Match": fresh.headers["etag"]}, timeout=30).status_code == 304
    for _ in range(2):  # a logged-in reader: their own comment marked editable, by the fast path the second time
        mine = httpx.get(two + json_url, headers=auth, timeout=30)
        assert mine.json()["comments"][0]["editable"] is True
    assert _fast(two, "viewer") >= 1

    # And back: a Respect given through the second shows in the first's next read.
    bob = httpx.post(two + "/api/v1/session", json={"username": "bob", "password": PASSWORD}, timeout=30).json()["token"]
    r = httpx.put(f"{two}/api/v1/comments/{posted.json()['id']}/respect", json={"on": True},
                  headers={"Authorization": f"Bearer {bob}"}, timeout=30)
    assert r.status_code == 200, r.text
    assert httpx.get(one + json_url, timeout=30).json()["comments"][0]["reactions"] == 1
