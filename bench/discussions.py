"""The relevance check's read of the discussions on every post: the latest 10 comments by other people
under the story and under the site's other ten stories. One statement for the eleven
(``DatabaseMemory.discussions``) beside one statement per story (the baseline, the code of 2026-12-02),
on SQLite and, with ``--pg``, PostgreSQL; 11 stories of 2,000 comments each. Writes
bench/reports/discussions.md.

    .venv/bin/python bench/discussions.py [--pg postgresql+psycopg://...] [--reads 2000]

With ``--pg`` the bench makes a database of its own on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Integer, String, bindparam, create_engine, insert, make_url, select, text

from remarks import db as dbmod
from remarks.db.plain import Plain
from remarks.models import Article, Comment, User
from remarks.services.memory import DatabaseMemory

HERE = Path(__file__).parent
STORIES, PER_STORY, LIMIT = 11, 2_000, 10

# The baseline: a story at a time.
_ONE = Plain(select(Comment.text).join(User, User.id == Comment.author_id)
             .where(Comment.article_id == bindparam("article_id", type_=Integer),
                    User.display_name != bindparam("author", type_=String))
             .order_by(Comment.id.desc()).limit(bindparam("limit", type_=Integer)))


def one_by_one(session, ids: list[str], author: str) -> dict[str, list[str]]:
    return {a: [t for (t,) in reversed(_ONE.all(session, {"article_id": int(a), "author": author, "limit": LIMIT}))]
            for a in ids}


def fill(url: str) -> list[str]:
    dbmod.upgrade(url)
    engine = dbmod.make_engine(url)
    with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
        people = [User(username=f"u{i}", display_name=f"User {i}", password_hash="-") for i in range(50)]
        stories = [Article(slug=f"bench-story-{i}", title=f"Story {i}", body=".") for i in range(STORIES)]
        s.add_all(people + stories)
        s.flush()
        s.execute(insert(Comment), [
            {"article_id": stories[n % STORIES].id, "author_id": people[n % len(people)].id, "state": "published",
             "text": f"Comment {n} on story {n % STORIES}: who knew what, and when?"}
            for n in range(STORIES * PER_STORY)])
        ids = [str(a.id) for a in stories]
    engine.dispose()
    return ids


def timed(url: str, ids: list[str], reads: int) -> dict[str, list[float]]:
    engine = dbmod.make_engine(url)
    sessions = dbmod.make_sessionmaker(engine)
    out: dict[str, list[float]] = {"one statement per story (baseline)": [], "one statement (now)": []}
    with sessions() as s:
        memory = DatabaseMemory(s, signs=False)
        assert one_by_one(s, ids, "User 0") == memory.discussions(ids, "User 0", LIMIT)  # the same answer
        for _ in range(reads):  # interleaved, so both meet the same machine
            for name, read in (("one statement per story (baseline)", lambda: one_by_one(s, ids, "User 0")),
                               ("one statement (now)", lambda: memory.discussions(ids, "User 0", LIMIT))):
                t = time.perf_counter()
                read()
                out[name].append((time.perf_counter() - t) * 1000)
            s.rollback()
    engine.dispose()
    return out


@contextmanager
def own_database(server_url: str):
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    name = f"bench_discussions_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(name: str, url: str, reads: int, lines: list[str]) -> None:
    ids = fill(url)
    for way, ms in timed(url, ids, reads).items():
        p99 = statistics.quantiles(ms, n=100)[98]
        lines.append(f"| {name} | {way} | {statistics.median(ms):.3f} | {p99:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", help="a PostgreSQL URL (an empty database) to measure beside SQLite")
    ap.add_argument("--reads", type=int, default=2000)
    args = ap.parse_args()
    lines = ["# The discussions read on every post", "",
             f"{STORIES} stories of {PER_STORY:,} comments; the latest {LIMIT} by other people under each; "
             f"{args.reads:,} reads, the two ways interleaved; one process, same machine, same run.", "",
             "| database | read | median ms | p99 ms |", "|---|---|---|---|"]
    measure("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'discussions.db'}", args.reads, lines)
    if args.pg:
        with own_database(args.pg) as url:
            measure("PostgreSQL", url, args.reads, lines)
    report = "\n".join(lines) + "\n"
    (HERE / "reports" / "discussions.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
