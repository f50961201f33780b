"""The site's memory for the checks (``remarks.moderation.memory.Memory``) in the database:
near-duplicate lookups by LSH band keys, and values checks keep under a namespace (article vectors).

Lookups happen while the comment is scored, before the write transaction opens; what must be kept
is written by ``persist`` inside the short write transaction that stores the comment."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy import Integer, String, bindparam, insert, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from remarks.checks import duplicates
from remarks.db.plain import Plain
from remarks.models import CheckMemory, Comment, CommentSignature, SignatureBand, User

CANDIDATES = 200

# A process-wide copy of recently used values (keys name the text they were computed from, so a value
# never goes stale), in front of the database table.
_SHARED: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_SHARED_SIZE = 512
_LOCK = threading.Lock()
_KEY_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_STORED: set[tuple[str, str, str]] = set()  # (database, namespace, key) seen in the table


def _shared_get(k: tuple[str, str]) -> bytes | None:
    with _LOCK:
        value = _SHARED.get(k)
        if value is not None:
            _SHARED.move_to_end(k)
        return value


def _shared_put(k: tuple[str, str], value: bytes) -> None:
    with _LOCK:
        _SHARED[k] = value
        _SHARED.move_to_end(k)
        while len(_SHARED) > _SHARED_SIZE:
            gone = _SHARED.popitem(last=False)[0]
            _STORED.difference_update({s for s in _STORED if s[1:] == gone})
        _KEY_LOCKS.pop(k, None)


def _key_lock(k: tuple[str, str]) -> threading.Lock:
    with _LOCK:
        return _KEY_LOCKS.setdefault(k, threading.Lock())


def looks_for_near_copies(checks) -> bool:
    """Whether any of these checks reads near copies (so the site keeps each comment's signature)."""
    return any("near_copies" in getattr(c, "memory_uses", ()) for c in checks)


class DatabaseMemory:
    """``signs``: whether the comment's near-copy signature is computed and stored with it (for the checks
    that look for near copies, ``memory_uses`` "near_copies"); a site whose checks do not look stores none."""

    def __init__(self, session: Session, signs: bool = True) -> None:
        self.session = session
        self.signs = signs
        self._new: dict[tuple[str, str], bytes] = {}
        self._signatures: dict[str, object] = {}

    def cached(self, namespace: str, key: str, compute: Callable[[], bytes]) -> bytes:
        k = (namespace, key)
        stored = (self._database(), namespace, key)  # per database: a process may serve several (tests)
        if k in self._new:
            return self._new[k]
        if (hit := _shared_get(k)) is not None:
            if stored not in _STORED:  # computed here, not yet known to be in the table: this comment's write keeps it
                self._new[k] = hit
            return hit
        value = self.session.scalar(select(CheckMemory.value).where(CheckMemory.namespace == namespace,
                                                                    CheckMemory.key == key))
        if value is not None:
            _STORED.add(stored)
        else:
            # One computation per key at a time in this process: a burst of first comments under a new
            # story computes its vectors once, not once per comment.
            with _key_lock(k):
                value = _shared_get(k)
                if value is None:
                    value = self._new[k] = compute()
        _shared_put(k, value)
        return value

    def _database(self) -> str:
        return str(self.session.get_bind().url)

    def near_copies(self, text: str) -> list[dict]:
        found, sig = find_duplicates(self.session, text)
        if sig is not None:
            self._signatures[text] = sig
        return found

    def remember(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        """Done by ``persist``, which has the comment row."""

    def discussions(self, article_ids: Sequence[str], author: str | None, limit: int) -> dict[str, list[str]]:
        """The latest comments under each article by other people, whatever their state (as an archive run
        reads them: it cannot know what moderators later did); up to ``_STORIES`` articles in one statement."""
        found: dict[str, list[str]] = {a: [] for a in article_ids}
        ids = [a for a in found if str(a).isdigit()]
        for at in range(0, len(ids) if limit > 0 else 0, _STORIES):
            chunk = ids[at:at + _STORIES]
            params = {f"a{i}": int(chunk[i]) if i < len(chunk) else None for i in range(_STORIES)}  # unused: NULL
            for article_id, _, text in sorted(_DISCUSSIONS.all(self.session, {**params, "author": author or "",
                                                                              "limit": limit})):
                found[str(article_id)].append(text)
        return found

    def sign(self, text: str) -> None:
        """Compute the comment's signature now (before the write transaction), if scoring did not."""
        if self.signs and text not in self._signatures and duplicates.long_enough(text):
            self._signatures[text] = duplicates.signature(text)

    def persist(self, session: Session, comment: Comment | None = None) -> None:
        """Write what scoring computed (new cached values; the comment's signature) in ``session``."""
        for (namespace, key), value in self._new.items():
            try:
                with session.begin_nested():  # another request may store the same value at the same moment
                    if session.get(CheckMemory, (namespace, key)) is None:
                        session.add(CheckMemory(namespace=namespace, key=key, value=value))
            except IntegrityError:
                pass
            _STORED.add((str(session.get_bind().url), namespace, key))
        self._new.clear()
        if comment is not None:
            self.sign(comment.text)  # done already when the caller signed before the write
            sig = self._signatures.get(comment.text)
            if sig is not None:  # plain statements (no objects needed back); the bands in one
                _SIGNATURE.run(session, {"comment_id": comment.id, "signature": duplicates.to_bytes(sig)})
                _BANDS.run(session, [{"band_key": k, "comment_id": comment.id} for k in duplicates.band_keys(sig)])


_SIGNATURE = Plain(insert(CommentSignature.__table__), inserts=True)
_BANDS = Plain(insert(SignatureBand.__table__), inserts=True)


def find_duplicates(session: Session, text: str) -> tuple[list[dict], object]:
    """Earlier comments whose text is nearly this one, and this text's signature (None if too short)."""
    if not duplicates.long_enough(text):
        return [], None
    sig = duplicates.signature(text)
    keys = duplicates.band_keys(sig)
    rows = _SIGNATURES.all(session, {f"k{i}": k for i, k in enumerate(keys)})  # the candidates' signatures
    if not rows:
        return [], sig
    # All candidates at once: a burst of one copy finds hundreds, one numpy comparison beats a loop.
    sims = duplicates.similarities(sig, [blob for _, blob in rows])
    # The closest ten at or above 0.5, most similar first, ties in id order (the rows come in id order).
    order = [int(i) for i in np.lexsort((np.arange(len(rows)), -sims)) if sims[i] >= 0.5][:10]
    if not order:
        return [], sig
    near = [(rows[i][0], round(float(sims[i]), 3)) for i in order]
    # Who wrote them and where, for those ten only (a burst's hundreds of candidates need no names).
    ids = [cid for cid, _ in near]
    about = {cid: (author, article_id) for cid, author, article_id in _ABOUT.all(
        session, {f"i{i}": ids[i] if i < len(ids) else None for i in range(_NEAREST)})}
    return [{"comment_id": str(cid), "similarity": sim, "author": about[cid][0], "article_id": str(about[cid][1])}
            for cid, sim in near if cid in about], sig


# The latest comments under each of up to _STORIES articles (the story and the site's other ten), each
# read backwards on the index (article_id, id) and stopped at the limit, in one statement.
_STORIES = 11


def _latest(i: int):
    return (select(Comment.article_id, Comment.id, Comment.text).join(User, User.id == Comment.author_id)
            .where(Comment.article_id == bindparam(f"a{i}", type_=Integer),
                   User.display_name != bindparam("author", type_=String))
            .order_by(Comment.id.desc()).limit(bindparam("limit", type_=Integer)).subquery())


_DISCUSSIONS = Plain(union_all(*(select(*sub.c) for sub in map(_latest, range(_STORIES)))))

# Built once (a post with the promotion check asks both), run on the driver (db/plain.py): a comment's band
# keys are always BANDS values, its nearest at most ten, so neither needs an IN list expanded per post.
_NEAREST = 10
_CANDIDATES = (select(SignatureBand.comment_id)
               .where(SignatureBand.band_key.in_([bindparam(f"k{i}", type_=String) for i in range(duplicates.BANDS)]))
               .distinct().order_by(SignatureBand.comment_id.desc()).limit(CANDIDATES))
_SIGNATURES = Plain(select(CommentSignature.comment_id, CommentSignature.signature)  # of those candidates, in one
                    .where(CommentSignature.comment_id.in_(_CANDIDATES)).order_by(CommentSignature.comment_id))
_ABOUT = Plain(select(Comment.id, User.display_name, Comment.article_id).join(User, User.id == Comment.author_id)
               .where(Comment.id.in_([bindparam(f"i{i}", type_=Integer) for i in range(_NEAREST)])))  # unused places: NULL
