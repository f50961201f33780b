"""A 10,000-comment thread: time to render its first and last page (paginated, 50 threads a page),
beside the news list as a baseline, on SQLite. Writes bench/reports/thread.md.

    .venv/bin/python bench/thread.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from remarks import db as dbmod
from remarks.config import Settings
from remarks.models import Article, Comment, User
from remarks.services import demo
from remarks.web import create_app

HERE = Path(__file__).parent


def main() -> None:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'thread.db'}"
    dbmod.upgrade(url)
    app = create_app(Settings(database_url=url, checks=["wordlist", "links"], webhooks_enabled=False))
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)
        art = s.scalar(select(Article).where(Article.slug == "border-attack-inquiry"))
        who = s.scalar(select(User).where(User.username == "reader"))
        parents = []
        for i in range(10_000):
            parent = parents[i % len(parents)] if parents and i % 3 == 0 else None  # a third are replies
            c = Comment(article_id=art.id, author_id=who.id, parent_id=parent, state="published",
                        text=f"Comment {i}: the inquiry must say who received the warning and why nobody acted.")
            s.add(c)
            if i % 500 == 0:
                s.flush()
            if parent is None and i % 7 == 0:
                s.flush()
                parents.append(c.id)
    client = TestClient(app)
    pages = client.get("/articles/border-attack-inquiry").text.split("Page 1 of ")[1].split("<")[0].split()[0]
    rows = []
    for label, path in (("news list (baseline)", "/"), ("thread, page 1", "/articles/border-attack-inquiry"),
                        (f"thread, last page ({pages})", f"/articles/border-attack-inquiry?page={pages}"),
                        ("API, page 1", "/api/v1/articles/1")):
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - t0) * 1000)
        rows.append((label, statistics.median(times), max(times)))
    lines = ["# A 10,000-comment thread", "", "10,000 published comments on one story (a third of them replies), "
             "SQLite, 50 threads a page. Regenerate: `.venv/bin/python bench/thread.py`.", "",
             "| page | median ms | max ms (10 requests) |", "|---|---|---|"]
    lines += [f"| {label} | {med:.0f} | {mx:.0f} |" for label, med, mx in rows]
    lines += ["", "Budget: a page renders in under 500 ms."]
    (HERE / "reports").mkdir(exist_ok=True)
    (HERE / "reports" / "thread.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
