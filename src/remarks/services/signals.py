"""The database side of the checks' memory: near-duplicate lookups by LSH band keys, and article
embeddings cached per article version. Fills ``CommentContext.extras`` for the checks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from remarks.checks import duplicates
from remarks.models import Article, ArticleEmbedding, Comment, CommentSignature, SignatureBand, User

CANDIDATES = 200


def find_duplicates(session: Session, text: str) -> tuple[list[dict], object]:
    """Earlier comments whose text is nearly this one, and this text's signature (None if too short)."""
    if not duplicates.long_enough(text):
        return [], None
    sig = duplicates.signature(text)
    keys = duplicates.band_keys(sig)
    ids = session.scalars(select(SignatureBand.comment_id).where(SignatureBand.band_key.in_(keys))
                          .distinct().order_by(SignatureBand.comment_id.desc()).limit(CANDIDATES)).all()
    found = []
    if ids:
        rows = session.execute(select(CommentSignature.comment_id, CommentSignature.signature, User.display_name,
                                      Comment.article_id)
                               .join(Comment, Comment.id == CommentSignature.comment_id)
                               .join(User, User.id == Comment.author_id)
                               .where(CommentSignature.comment_id.in_(ids))).all()
        for cid, blob, author, article_id in rows:
            sim = duplicates.similarity(sig, duplicates.from_bytes(blob))
            if sim >= 0.5:
                found.append({"comment_id": str(cid), "similarity": round(sim, 3), "author": author,
                              "article_id": str(article_id)})
    return sorted(found, key=lambda d: -d["similarity"])[:10], sig


def remember(session: Session, comment: Comment, sig) -> None:
    if sig is None:
        return
    session.add(CommentSignature(comment_id=comment.id, signature=duplicates.to_bytes(sig)))
    session.add_all(SignatureBand(band_key=k, comment_id=comment.id) for k in duplicates.band_keys(sig))


def article_vectors(session: Session, article: Article) -> bytes | None:
    """The article's embeddings, computed once per version of its text and kept in the database."""
    try:
        from remarks.checks.offtopic import article_key
        from remarks.checks.offtopic import article_vectors as compute
    except ImportError:  # the relevance check is not installed
        return None
    body = f"{article.standfirst}\n\n{article.body}".strip()
    key = article_key(article.title, body)
    row = session.get(ArticleEmbedding, article.id)
    if row is not None and row.key == key:
        return row.data
    data = compute(article.title, body).to_bytes()
    try:
        # A savepoint: another request may store the same article's vectors at the same moment.
        with session.begin_nested():
            if row is None:
                session.add(ArticleEmbedding(article_id=article.id, key=key, data=data))
            else:
                row.key, row.data = key, data
    except IntegrityError:
        pass  # the other request stored the same vectors; ours are used for this comment
    return data
