"""Helpers for tests that talk to the app like a browser or an API client."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def bearer(client: TestClient, username: str, password: str = "correct-horse-battery") -> dict[str, str]:
    r = client.post("/api/v1/session", json={"username": username, "password": password})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = "correct-horse-battery") -> None:
    page = client.get("/login")
    r = client.post("/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


class CopiesWordList:
    """The word-list check, also reading each comment's near copies (as the promotion check does)."""

    def __init__(self) -> None:
        from remarks.checks.wordlist import WordListAbuse

        self.inner = WordListAbuse()
        self.rule, self.version, self.rule_info = self.inner.rule, self.inner.version, None
        self.memory_uses = frozenset({"near_copies"})

    def provide(self, ctx, memory):
        return {"copies": memory.near_copies(ctx.text)}

    def score_batch(self, ctxs):
        return self.inner.score_batch(ctxs)
