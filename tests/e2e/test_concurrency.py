"""Ordinary concurrency never answers 503 ("database is locked"): eight sign-ups at once, eight failed
log-ins, eight moderator decisions, eight reports and eight moderators' desk pages, against the real
server in a subprocess on SQLite."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

N = 8


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"REMARKS_CHECKS": '["wordlist", "links"]', "REMARKS_COMMENTS_PER_MINUTE": "1000",
            "REMARKS_WEBHOOKS_ENABLED": "false"}


def _csrf(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def _all_at_once(work, items) -> list[httpx.Response]:
    with ThreadPoolExecutor(N) as pool:
        return list(pool.map(work, items))


def _no_503(kind: str, answers: list[httpx.Response], ok: set[int]) -> None:
    codes = [r.status_code for r in answers]
    assert all(c in ok for c in codes), f"{kind}: {codes} {[r.text[:200] for r in answers if r.status_code not in ok]}"


def _token(url: str, username: str, password: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/session", json={"username": username, "password": password}, timeout=60)
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_eight_at_once_never_503(live_server):
    url = live_server.url
    article = httpx.get(f"{url}/api/v1/articles").json()[0]["id"]
    reader = _token(url, "reader", "reader-demo-pass")
    posted = [httpx.post(f"{url}/api/v1/articles/{article}/comments", json={"text": f"A plain remark number {i}."},
                         headers=reader, timeout=60).json()["id"] for i in range(2 * N)]

    clients = [httpx.Client(base_url=url, timeout=120) for _ in range(N)]
    try:
        def signup(i: int) -> httpx.Response:
            c = clients[i]
            return c.post("/signup", data={"username": f"newcomer{i}", "password": "a-long-enough-password",
                                           "csrf": _csrf(c, "/signup")})
        _no_503("sign-ups", _all_at_once(signup, range(N)), {303})

        def failed_login(i: int) -> httpx.Response:
            return clients[i].post("/api/v1/session", json={"username": "reader", "password": f"wrong{i}"})
        _no_503("failed log-ins", _all_at_once(failed_login, range(N)), {401, 429})

        moderator = _token(url, "moderator", "moderator-demo-pass")

        def decide(cid: int) -> httpx.Response:
            return httpx.post(f"{url}/api/v1/moderation/comments/{cid}/decisions", headers=moderator, timeout=120,
                              json={"action": "remove", "rule": "abuse", "reason": "test"})
        _no_503("decisions", _all_at_once(decide, posted[:N]), {201})

        harbour = _token(url, "harbourwatcher", "harbour-demo-pass")

        def report(cid: int) -> httpx.Response:
            return httpx.post(f"{url}/api/v1/comments/{cid}/reports", headers=harbour, timeout=120,
                              json={"reason": "abuse", "explanation": ""})
        _no_503("reports", _all_at_once(report, posted[N:]), {201})

        for c in clients:
            r = c.post("/login", data={"username": "moderator", "password": "moderator-demo-pass",
                                       "csrf": _csrf(c, "/login")})
            assert r.status_code == 303, r.text
        _no_503("desk", _all_at_once(lambda i: clients[i].get("/desk"), range(N)), {200})
    finally:
        for c in clients:
            c.close()
