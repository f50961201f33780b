"""Many sites in one installation. A site is a publisher (``models.Publisher``): its articles, its
policy, its moderators and its statistics. Readers' accounts are shared by every site.

Staff (moderators, admins) work on every site (``User.all_sites``), or only on the sites granted to
them. Anything of a site outside the actor's scope is refused with 403 ``OutOfScope`` — the same
answer for every door (desk, API, CLI), because the check lives in the services. Ids are sequential
and not secret; what a refusal never shows is the object or the other site's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import Session

from remarks.errors import BadInput, Conflict, Forbidden, NotFound
from remarks.events import Event
from remarks.models import Article, Comment, Publisher, SiteGrant, User
from remarks.models.people import ROLES
from remarks.models.publishing import DEFAULT_SITE
from remarks.services import audit

# A site's name appears in embed attributes and URLs (?site=NAME): letters, digits, '.', '_' and '-'.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
STAFF = ("moderator", "admin")


class OutOfScope(Forbidden):
    """Something of a site the actor does not work on."""


@dataclass(frozen=True)
class Scope:
    """The sites an actor works on: ``None`` is every site."""

    sites: frozenset[int] | None

    @property
    def every_site(self) -> bool:
        return self.sites is None

    def covers(self, site_id: int | None) -> bool:
        return self.sites is None or site_id in self.sites

    def articles(self, column=Article.publisher_id) -> ColumnElement[bool]:
        """A WHERE clause on an article's site column."""
        if self.sites is None:
            return true()
        return column.in_(self.sites) if self.sites else false()

    def comments(self, comment_id_column=Comment.id) -> ColumnElement[bool]:
        """A WHERE clause for rows that name a comment: the comment is on one of the sites."""
        if self.sites is None:
            return true()
        return comment_id_column.in_(select(Comment.id).join(Article, Article.id == Comment.article_id)
                                     .where(self.articles()))


EVERY_SITE = Scope(None)


def scope_of(session: Session, user: User | None) -> Scope:
    """Where a user works. Readers and anonymous callers have no staff scope (no site)."""
    if user is None or user.role not in STAFF:
        return Scope(frozenset())
    if user.all_sites:
        return EVERY_SITE
    return Scope(frozenset(session.scalars(select(SiteGrant.publisher_id).where(SiteGrant.user_id == user.id))))


def narrowed(session: Session, user: User, site: str | None) -> Scope:
    """The actor's scope, narrowed to one named site (``?site=``) when one is asked for."""
    scope = scope_of(session, user)
    if not site:
        return scope
    pub = by_name(session, site)
    if not scope.covers(pub.id):
        raise OutOfScope("you do not work on that site")
    return Scope(frozenset({pub.id}))


def one(session: Session, user: User, site: str | None) -> int | None:
    """The one site a per-site setting (the policy) is about: the named one, else the actor's only
    site; None is the installation itself (for staff of every site)."""
    scope = narrowed(session, user, site)
    if scope.every_site:
        return None
    if len(scope.sites) == 1:
        return next(iter(scope.sites))
    raise BadInput("say which site (?site=NAME): you work on several" if scope.sites else "you work on no site")


def by_name(session: Session, name: str) -> Publisher:
    """A site by its name (or its number)."""
    name = (name or "").strip()
    pub = session.get(Publisher, int(name)) if name.isdigit() else \
        session.scalar(select(Publisher).where(Publisher.name == name))
    if pub is None:
        raise NotFound(f"there is no site {name!r}")
    return pub


def default_site(session: Session) -> Publisher:
    pub = session.scalar(select(Publisher).where(Publisher.name == DEFAULT_SITE))
    if pub is None:  # the migration made it; someone removed it by hand
        raise NotFound(f"the default site {DEFAULT_SITE!r} is missing; run `remarks site add {DEFAULT_SITE}`")
    return pub


def of_article(session: Session, article_id: int | None) -> int | None:
    """The site of an article (None when there is no such article: the caller's own check says so)."""
    return session.scalar(select(Article.publisher_id).where(Article.id == article_id)) if article_id else None


def of_comment(session: Session, comment_id: int | None) -> int | None:
    return session.scalar(select(Article.publisher_id).join(Comment, Comment.article_id == Article.id)
                          .where(Comment.id == comment_id)) if comment_id else None


def require_site(session: Session, user: User, site_id: int | None) -> None:
    if not scope_of(session, user).covers(site_id):
        raise OutOfScope("that belongs to a site you do not work on")


def require_article(session: Session, user: User, article: Article) -> Article:
    require_site(session, user, article.publisher_id)
    return article


def require_comment(session: Session, user: User, comment: Comment) -> Comment:
    require_site(session, user, comment.article.publisher_id)
    return comment


def require_user(session: Session, actor: User, user: User) -> User:
    """A moderator of some sites acts on a reader who has written on one of them (accounts are shared)."""
    scope = scope_of(session, actor)
    if scope.every_site:
        return user
    wrote_here = session.scalar(select(exists().where(Comment.author_id == user.id, scope.comments())))
    if not wrote_here:
        raise OutOfScope("this account has not written on a site you work on")
    return user


def require_every_site(session: Session, user: User) -> None:
    if not scope_of(session, user).every_site:
        raise OutOfScope("this is for staff who work on every site")


# Creating sites and granting them -------------------------------------------------------------------

def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise BadInput("a site's name is 1 to 100 letters, digits, '.', '_' or '-' (it goes in URLs and the embed)")
    return name


def grant(session: Session, actor: User | None, *, site: Publisher, user: User, role: str) -> SiteGrant:
    """Make ``user`` a ``role`` (moderator or admin) of ``site``. Staff who worked on every site now
    work on the sites granted to them only."""
    if role not in STAFF:
        raise BadInput(f"the role on a site is one of {', '.join(STAFF)}")
    if user.role in STAFF and user.role != role:  # never a silent promotion or demotion
        where = "every site" if user.all_sites else "other sites"
        raise Conflict(f"{user.username} is a {user.role} of {where}; one role per person "
                       f"(grant with --role {user.role}, or change it first: remarks site grant-all {user.username} --role {role})")
    row = session.scalar(select(SiteGrant).where(SiteGrant.user_id == user.id, SiteGrant.publisher_id == site.id))
    if row is None:
        row = SiteGrant(user_id=user.id, publisher_id=site.id)
        session.add(row)
    before = (user.role, user.all_sites)
    user.role, user.all_sites = role, False
    session.flush()
    audit.record(session, Event.SITE_GRANTED, actor=actor, subject_type="user", subject_id=user.id,
                 site=site.name, role=role, before={"role": before[0], "all_sites": before[1]})
    return row


def revoke(session: Session, actor: User | None, *, site: Publisher, user: User) -> None:
    """Take a site from a scoped moderator. Someone left with no site keeps the role and sees nothing."""
    row = session.scalar(select(SiteGrant).where(SiteGrant.user_id == user.id, SiteGrant.publisher_id == site.id))
    if row is None:
        raise NotFound(f"{user.username} does not work on {site.name}")
    session.delete(row)
    session.flush()
    audit.record(session, Event.SITE_REVOKED, actor=actor, subject_type="user", subject_id=user.id, site=site.name)


def every_site(session: Session, actor: User | None, *, user: User, role: str) -> User:
    """Make someone staff of every site (the way existing moderators and admins work)."""
    if role not in ROLES or role == "commenter":
        raise BadInput(f"the role is one of {', '.join(STAFF)}")
    user.role, user.all_sites = role, True
    session.flush()
    audit.record(session, Event.SITE_GRANTED, actor=actor, subject_type="user", subject_id=user.id, site="*",
                 role=role)
    return user


def sites_of(session: Session, user: User) -> list[Publisher]:
    """The sites a user works on (every site for unscoped staff), by name."""
    scope = scope_of(session, user)
    return list(session.scalars(select(Publisher).where(scope.articles(Publisher.id)).order_by(Publisher.name)))
