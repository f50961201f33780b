"""Import comments from another system's export: ``run(session, "disqus", file)``.

One table of formats; each reader streams records (threads, then posts) out of the file in bounded
memory, and one writer turns them into articles, unclaimed accounts and comments in the caller's
transaction — so a broken file leaves nothing behind, and a second run adds nothing (each comment
keeps its source id as ``import/FORMAT/ID`` in its idempotency key; authors are linked by
(``import/FORMAT``, their id in the source); articles are found by their id)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.models import Article, Comment, ExternalIdentity, User
from remarks.models import versions
from remarks.models.base import utcnow
from remarks.services import audit
from remarks.services.importing import disqus, wordpress
from remarks.services.importing.records import ImportFailed, Post, Thread
from remarks.services.sso import link_identity

FORMATS: dict[str, Callable[[IO[bytes], str], Iterator[Thread | Post]]] = {
    "disqus": disqus.read,
    "wordpress": wordpress.read,
}
# A hook that may change the state of a batch of freshly imported comments (the moderation pipeline,
# services/importing/moderate.py); returns how many it held.
Moderate = Callable[[Session, list[Comment]], int]
BATCH = 256
ID_CACHE = 100_000  # recent source id -> comment id; older ones are looked up in the database


@dataclass
class ImportReport:
    threads: int = 0
    articles_created: int = 0
    comments_added: int = 0
    comments_already_there: int = 0
    authors_created: int = 0
    replies_without_parent: int = 0
    held_or_removed_by_moderation: int = 0
    states: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items())) or "none"
        return [f"threads: {self.threads} ({self.articles_created} new articles)",
                f"comments added: {self.comments_added} ({states}); already there: {self.comments_already_there}",
                f"new unclaimed accounts: {self.authors_created}",
                f"replies whose parent is not in the export (kept at the top level): {self.replies_without_parent}",
                f"held or removed by the moderation pipeline: {self.held_or_removed_by_moderation}"]


class _Writer:
    def __init__(self, session: Session, fmt: str, name: str, moderate: Moderate | None,
                 site_id: int | None = None) -> None:
        self.s, self.fmt, self.name, self.moderate, self.site_id = session, fmt, name, moderate, site_id
        self.provider = "import/" + fmt
        self.report = ImportReport()
        self.threads: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self.ids: OrderedDict[str, int] = OrderedDict()
        self.orphans: list[tuple[int, str]] = []
        self.batch: list[int] = []
        self.pending: list[Post] = []
        # A first import of this format skips the "is it there already?" lookup for every comment.
        self.fresh = session.scalar(select(Comment.id).where(Comment.idempotency_key.like(f"{self.provider}/%"))
                                    .limit(1)) is None

    def key(self, source_id: str) -> str:
        key = f"{self.provider}/{source_id}"
        if len(key) > 100:
            raise ImportFailed(f"{self.name}: the id {source_id[:40]!r}... is longer than remarks keeps; nothing was imported")
        return key

    def comment_id(self, source_id: str) -> int | None:
        if source_id in self.ids:
            return self.ids[source_id]
        return self.s.scalar(select(Comment.id).where(Comment.idempotency_key == self.key(source_id)))

    def thread(self, t: Thread) -> None:
        self.report.threads += 1
        art = self.s.scalar(select(Article).where(Article.slug == t.slug))
        if art is None:
            art = Article(slug=t.slug, title=t.title[:300], body="", standfirst="", section="Imported",
                          published_at=t.created_at or utcnow(),
                          **({"publisher_id": self.site_id} if self.site_id is not None else {}))
            self.s.add(art)
            self.s.flush()
            self.report.articles_created += 1
        elif self.site_id is not None and art.publisher_id != self.site_id:
            raise ImportFailed(f"{self.name}: the thread {t.slug!r} is an article of another site here; "
                               "nothing was imported")
        self.threads[t.key] = art.id
        self.write()  # comments before this thread are written first (file order)

    def author(self, p: Post) -> int:
        uid = self.authors.get(p.author.subject)
        if uid is None:
            known = self.s.scalar(select(ExternalIdentity.user_id).where(ExternalIdentity.provider == self.provider,
                                                                        ExternalIdentity.subject == p.author.subject))
            if known is None:
                user = link_identity(self.s, self.provider, p.author.subject, name=p.author.name,
                                     email=p.author.email, hint=p.author.name)
                self.report.authors_created += 1
                known = user.id
            uid = self.authors[p.author.subject] = known
        return uid

    def post(self, p: Post) -> None:
        if not self.fresh:
            existing = self.comment_id(p.key)
            if existing is not None:
                self.report.comments_already_there += 1
                self._remember(p.key, existing)
                return
        if p.thread_key not in self.threads:
            raise ImportFailed(f"{self.name}: comment {p.key} belongs to thread {p.thread_key}, which the export "
                               "does not have before it; nothing was imported")
        self.pending.append(p)
        if len(self.pending) >= BATCH:
            self.write()

    def write(self) -> None:
        """Insert the buffered comments in one statement; replies to comments in the same batch get
        their parent right after."""
        if not self.pending:
            return
        in_batch = {p.key for p in self.pending}
        rows, later = [], []
        for i, p in enumerate(self.pending):
            parent_id = None
            if p.parent_key and p.parent_key not in in_batch:
                parent_id = self.comment_id(p.parent_key)
                if parent_id is None:
                    later.append(i)  # its parent may come further down the file
            rows.append({"article_id": self.threads[p.thread_key], "parent_id": parent_id,
                         "author_id": self.author(p), "text": p.text, "state": p.state,
                         "created_at": p.created_at, "idempotency_key": self.key(p.key)})
        ids = self.s.execute(insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows).scalars().all()
        for p, cid in zip(self.pending, ids, strict=True):
            self._remember(p.key, cid)
            self.report.comments_added += 1
            self.report.states[p.state] = self.report.states.get(p.state, 0) + 1
        links = [{"id": cid, "parent_id": self.ids[p.parent_key]} for p, cid in zip(self.pending, ids, strict=True)
                 if p.parent_key in in_batch]
        if links:
            self.s.execute(update(Comment), links)
        self.orphans.extend((ids[i], self.pending[i].parent_key) for i in later)
        self.batch.extend(ids)
        self.pending = []
        self.flush()

    def _remember(self, source_id: str, cid: int) -> None:
        self.ids[source_id] = cid
        if len(self.ids) > ID_CACHE:
            self.ids.popitem(last=False)

    def flush(self) -> None:
        if self.moderate and self.batch:
            comments = [self.s.get(Comment, cid) for cid in self.batch]
            before = {c.id: c.state for c in comments}
            self.report.held_or_removed_by_moderation += self.moderate(self.s, comments)
            for c in comments:
                if c.state != before[c.id]:
                    self.report.states[before[c.id]] -= 1
                    self.report.states[c.state] = self.report.states.get(c.state, 0) + 1
        self.batch = []
        self.s.flush()
        self.s.expunge_all()  # memory stays bounded: nothing of the file is kept but ids

    def finish(self) -> ImportReport:
        self.write()
        for cid, parent_key in self.orphans:  # a reply that came before its parent in the file
            parent_id = self.comment_id(parent_key)
            if parent_id is None:
                self.report.replies_without_parent += 1
            else:
                self.s.get(Comment, cid).parent_id = parent_id
        self.s.flush()
        versions.bump(self.s, self.threads.values())  # inserted in bulk: cached threads must not stay
        return self.report


def run(session: Session, actor: User | None, fmt: str, source: IO[bytes], name: str, *,
        moderate: Moderate | None = None, site_id: int | None = None) -> ImportReport:
    """Import one export file into the caller's transaction (the caller commits, once); new articles
    go to the site ``site_id`` (else the default site)."""
    if fmt not in FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    writer = _Writer(session, fmt, name, moderate, site_id)
    for record in FORMATS[fmt](source, name):
        if isinstance(record, Thread):
            writer.thread(record)
        else:
            writer.post(record)
    report = writer.finish()
    audit.record(session, Event.IMPORT_FINISHED, actor=actor, subject_type="import", subject_id=None, format=fmt,
                 file=name[-200:], added=report.comments_added, already_there=report.comments_already_there,
                 authors_created=report.authors_created, held_or_removed=report.held_or_removed_by_moderation)
    return report
