"""WordPress's export (WXR 1.2: RSS 2.0 with the wp: namespace): each <item> a post with its
<wp:comment>s; pingbacks and trackbacks are not comments and are skipped."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO

from remarks.services.importing.records import Author, ImportFailed, Post, Thread, html_to_text, parse_time, slug_of, stream

WP_NAMESPACES = ("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.0/")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
STATES = {"1": "published", "0": "held", "spam": "removed", "trash": "removed", "approve": "published",
          "hold": "held"}


def read(source: IO[bytes], name: str) -> Iterator[Thread | Post]:
    for item in stream(source, name, {"item"}, depth=2):
        wp = next((f"{{{ns}}}" for ns in WP_NAMESPACES if item.find(f"{{{ns}}}post_id") is not None), None)
        if wp is None:
            raise ImportFailed(f"{name}: an <item> has no wp:post_id (is this a WordPress export, WXR?); "
                               "nothing was imported")

        def t(elem, tag: str, wp: str = wp) -> str:
            found = elem.find(wp + tag) if not tag.startswith("{") and tag not in ("title", "link") else elem.find(tag)
            return (found.text or "").strip() if found is not None else ""

        post_id = t(item, "post_id")
        if t(item, "post_type") in ("attachment", "nav_menu_item", "revision"):
            continue
        where = f"{name}: post {post_id}"
        date = t(item, "post_date_gmt")
        if not date or date.startswith("0000"):
            date = t(item, "post_date")
        link = t(item, "link")
        yield Thread(key=post_id, slug=slug_of(t(item, "post_name"), link, f"wp-{post_id}"),
                     title=t(item, "title") or f"WordPress post {post_id}", link=link,
                     created_at=parse_time(date, where) if date and not date.startswith("0000") else None,
                     closed=t(item, "comment_status") == "closed")
        for c in item.findall(wp + "comment"):
            if t(c, "comment_type") in ("pingback", "trackback"):
                continue
            cid = t(c, "comment_id")
            if not cid:
                raise ImportFailed(f"{where}: a comment has no wp:comment_id; nothing was imported")
            cwhere = f"{name}: comment {cid}"
            approved = t(c, "comment_approved")
            if approved not in STATES:
                raise ImportFailed(f"{cwhere}: wp:comment_approved is {approved!r}, not 1, 0, spam or trash; "
                                   "nothing was imported")
            when = t(c, "comment_date_gmt")
            if not when or when.startswith("0000"):
                when = t(c, "comment_date")
            author, email, user_id = t(c, "comment_author"), t(c, "comment_author_email").lower(), t(c, "comment_user_id")
            if user_id and user_id != "0":
                subject = "u:" + user_id
            elif email:
                subject = "e:" + hashlib.sha256(email.encode()).hexdigest()[:32]
            else:
                subject = "n:" + (author or "anonymous")[:200]
            parent = t(c, "comment_parent")
            yield Post(key=cid, thread_key=post_id, parent_key=parent if parent and parent != "0" else None,
                       author=Author(subject=subject, name=author or "Anonymous", email=email or None),
                       created_at=parse_time(when, cwhere), text=html_to_text(t(c, "comment_content")),
                       state=STATES[approved])
