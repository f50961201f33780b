"""The site and ``remarks moderate`` run the same pipeline: the same comments, articles and policy give
the same actions and the same scores, whichever door the comments came in by.

Comments are posted through the API of a fresh server (no demo content) in a subprocess; the same
comments are then scored from a file by the CLI, with the policy read from the server's database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import httpx
import pytest

from e2e.conftest import LiveServer

pytestmark = pytest.mark.slow

ARTICLES = [
    {"slug": "border-attack-inquiry", "title": "Inquiry opens into border attack that killed eleven",
     "standfirst": "Investigators will examine how a jihadist cell crossed the border.",
     "body": "The cell had the help of smugglers, officials said. Warnings from two informants were missed, "
             "according to documents seen by this newspaper. Eleven people were killed at the crossing.",
     "byline": "Jamie Okafor"},
    {"slug": "harbour-rebuild", "title": "Typhoon-hit harbour town begins to rebuild",
     "standfirst": "Fishermen in Port Aster return to sea three weeks after the storm.",
     "body": "Typhoon Mira wrecked the harbour wall and sank a dozen boats. The council has promised "
             "emergency funds for the fishing fleet.", "byline": "Lee Chan"},
    {"slug": "council-budget", "title": "Council passes budget with cuts to libraries",
     "standfirst": "", "body": "The vote was seven to two. Two branch libraries will close in spring.",
     "byline": "Sam Ortiz"},
]
USERS = ["ann", "bob", "cat", "dan"]
SPAM = "Make $500 a day from home!!! Visit www.easy-cash-now.biz and start today, limited offer"
# (author, article index, parent index in this list or None, text)
POSTS = [
    ("ann", 0, None, "The inquiry must say who ignored the warnings about the smugglers."),
    ("bob", 0, 0, "Agreed."),
    ("cat", 0, None, "Muslims are vermin and should be driven out of this country."),
    ("dan", 0, 0, "You are a moron, ann, and so is Jamie Okafor."),
    ("bob", 0, None, "The typhoon wrecked the harbour wall and the boats cannot go out."),
    ("cat", 0, None, SPAM),
    ("dan", 1, None, SPAM),
    ("ann", 1, None, "Will the emergency funds reach the fishermen before winter?"),
    ("bob", 1, 7, "They never do. The council sat on the last flood money for a year."),
    ("cat", 2, None, "Closing libraries while the mayor's office gets a new car is shameful."),
    ("dan", 2, None, "What a load of sh!t, these councillors are f*cking useless."),
    ("ann", 2, None, "Das ist eine Schande, die Bibliotheken sind wichtig für die Kinder."),
    ("bob", 0, None, "Saying that about a whole religion is vile and you should be ashamed."),
    ("cat", 1, None, "Check out my channel for harbour videos, subscribe!"),
]


def _cli(*args: str, env: dict | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True, timeout=600,
                          env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_site_and_archive_give_the_same_verdicts(tmp_path):
    server = LiveServer(tmp_path, {"REMARKS_COMMENTS_PER_MINUTE": "100"}, demo=False)
    try:
        key = _cli("publisher", "create", "Test CMS", "--db", server.db_url).strip().splitlines()[-1]
        articles = []
        for a in ARTICLES:
            r = httpx.put(f"{server.url}/api/v1/publisher/articles/{a['slug']}", headers={"X-API-Key": key},
                          json={k: v for k, v in a.items() if k != "slug"}, timeout=30)
            assert r.status_code in (200, 201), r.text
            articles.append(r.json()["id"])
        tokens = {}
        for u in USERS:
            _cli("user", "create", u, "--password", "correct-horse-battery", "--db", server.db_url)
            r = httpx.post(f"{server.url}/api/v1/session", json={"username": u, "password": "correct-horse-battery"})
            tokens[u] = r.json()["token"]
        posted = []
        for author, art, parent, text in POSTS:
            body = {"text": text, "parent_id": posted[parent]["id"] if parent is not None else None}
            r = httpx.post(f"{server.url}/api/v1/articles/{articles[art]}/comments", json=body, timeout=120,
                           headers={"Authorization": f"Bearer {tokens[author]}"})
            assert r.status_code == 201, r.text
            posted.append(r.json())
    finally:
        server.stop()

    # The same comments and articles as an archive, with the dates the accounts and comments have.
    db = sqlite3.connect(server.db_url.removeprefix("sqlite:///"))
    rows = db.execute("SELECT c.id, c.article_id, c.parent_id, u.display_name, c.text, c.created_at, u.created_at "
                      "FROM comments c JOIN users u ON u.id = c.author_id ORDER BY c.id").fetchall()
    arts = db.execute("SELECT id, title, standfirst, body, byline FROM articles ORDER BY id").fetchall()
    db.close()
    comments_file, articles_file, out = tmp_path / "c.jsonl", tmp_path / "a.jsonl", tmp_path / "r.jsonl"
    comments_file.write_text("".join(json.dumps({
        "id": str(cid), "article_id": str(aid), "parent_id": str(pid) if pid else None, "author": name,
        "text": text, "created_at": created.replace(" ", "T"), "author_since": since.replace(" ", "T")}) + "\n"
        for cid, aid, pid, name, text, created, since in rows))
    articles_file.write_text("".join(json.dumps({
        "id": str(i), "title": t, "body": f"{sf}\n\n{b}".strip(), "byline": by}) + "\n"
        for i, t, sf, b, by in sorted(arts, key=lambda a: a[0], reverse=True)))
    _cli("moderate", str(comments_file), "--articles", str(articles_file), "--out", str(out),
         "--db", server.db_url)
    archive = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}

    actions = {p["state"] for p in posted}
    assert {"published", "held"} <= actions  # the set exercises more than one outcome
    state = {"published": "publish", "held": "hold", "removed": "remove"}
    for p in posted:
        a = archive[str(p["id"])]
        site_scores = {c["rule"]: c["score"] for c in p["checks"] if c["rule"] != "words"}
        assert state[p["state"]] == a["action"], (p, a)
        assert site_scores.keys() == a["scores"].keys()
        for rule, score in site_scores.items():
            assert abs(score - a["scores"][rule]) <= 0.02, (rule, p, a)
