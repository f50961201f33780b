"""Export files written here following the published formats (Disqus XML export, WordPress WXR 1.2)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

DISQUS_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
               'xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
               'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
               '<category dsq:id="1"><forum>harbourgazette</forum><title>General</title><isDefault>true</isDefault>'
               '</category>\n')

WORDS = ("harbour wall council storm budget library inquiry warning border fishermen engineers funds volunteers "
         "parking fees heat pumps grants installers shortage").split()


def disqus_thread(tid: int, ident: str, title: str, created: datetime) -> str:
    return (f'<thread dsq:id="{tid}"><id>{escape(ident)}</id><forum>harbourgazette</forum><category dsq:id="1"/>'
            f'<link>https://www.harbour-gazette.example/news/{escape(ident)}</link><title>{escape(title)}</title>'
            f'<message/><createdAt>{created:%Y-%m-%dT%H:%M:%SZ}</createdAt><author><name>Desk</name>'
            f'<isAnonymous>false</isAnonymous><username>desk</username></author><isClosed>false</isClosed>'
            f'<isDeleted>false</isDeleted></thread>\n')


def disqus_post(pid: int, tid: int, text: str, created: datetime, author: tuple[str, str, str], *,
                parent: int | None = None, deleted: bool = False, spam: bool = False) -> str:
    username, name, email = author
    return (f'<post dsq:id="{pid}"><id/><message><![CDATA[{text}]]></message>'
            f'<createdAt>{created:%Y-%m-%dT%H:%M:%SZ}</createdAt><isDeleted>{str(deleted).lower()}</isDeleted>'
            f'<isSpam>{str(spam).lower()}</isSpam><author><email>{email}</email><name>{escape(name)}</name>'
            f'<isAnonymous>{str(not username).lower()}</isAnonymous><username>{username}</username></author>'
            f'<ipAddress>192.0.2.{pid % 250}</ipAddress><thread dsq:id="{tid}"/>'
            + (f'<parent dsq:id="{parent}"/>' if parent else "") + '</post>\n')


def generate_disqus(path: Path, *, threads: int, posts: int, seed: int = 7) -> dict:
    """A Disqus export with ``posts`` comments over ``threads`` threads, a third of them replies, some
    deleted or spam; returns what the file holds, to compare with what is imported."""
    rnd = random.Random(seed)
    start = datetime(2021, 3, 1, tzinfo=UTC)
    authors = [(f"reader{i}", f"Reader {i}", f"reader{i}@mail.example") for i in range(300)]
    authors += [("", f"Guest {i}", f"guest{i}@mail.example") for i in range(50)]
    truth = {"per_thread": {}, "replies": 0, "states": {"published": 0, "removed": 0}, "dates": {}, "parents": {}}
    with path.open("w", encoding="utf-8") as f:
        f.write(DISQUS_HEAD)
        for t in range(1, threads + 1):
            f.write(disqus_thread(t, f"story-{t}", f"Story number {t}", start + timedelta(days=t)))
        per_thread: dict[int, list[int]] = {}
        for p in range(1, posts + 1):
            t = rnd.randint(1, threads)
            siblings = per_thread.setdefault(t, [])
            parent = rnd.choice(siblings) if siblings and rnd.random() < 0.33 else None
            created = start + timedelta(days=t, minutes=p)
            deleted, spam = rnd.random() < 0.03, rnd.random() < 0.02
            text = "<p>" + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 30))) + "</p><p>Second &amp; last.</p>"
            f.write(disqus_post(100_000 + p, t, text, created, rnd.choice(authors), parent=100_000 + parent if parent else None,
                                deleted=deleted, spam=spam))
            siblings.append(p)
            truth["per_thread"][f"story-{t}"] = truth["per_thread"].get(f"story-{t}", 0) + 1
            truth["replies"] += parent is not None
            truth["states"]["removed" if deleted or spam else "published"] += 1
            truth["dates"][f"import/disqus/{100_000 + p}"] = created
            truth["parents"][f"import/disqus/{100_000 + p}"] = f"import/disqus/{100_000 + parent}" if parent else None
        f.write("</disqus>\n")
    return truth


WXR_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            '<title>Harbour Gazette</title><link>https://www.harbour-gazette.example</link>'
            '<wp:wxr_version>1.2</wp:wxr_version>\n')


def wxr_comment(cid: int, text: str, when: str, *, author="Ann Lee", email="ann@mail.example", approved="1",
                parent=0, kind="comment", user_id=0) -> str:
    return (f'<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[{author}]]>'
            f'</wp:comment_author><wp:comment_author_email>{email}</wp:comment_author_email>'
            f'<wp:comment_author_url></wp:comment_author_url><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>'
            f'<wp:comment_date>{when}</wp:comment_date><wp:comment_date_gmt>{when}</wp:comment_date_gmt>'
            f'<wp:comment_content><![CDATA[{text}]]></wp:comment_content><wp:comment_approved>{approved}'
            f'</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}'
            f'</wp:comment_parent><wp:comment_user_id>{user_id}</wp:comment_user_id></wp:comment>\n')


def wxr_item(post_id: int, slug: str, title: str, date: str, comments: str, post_type="post") -> str:
    return (f'<item><title>{escape(title)}</title><link>https://www.harbour-gazette.example/{slug}/</link>'
            f'<dc:creator><![CDATA[editor]]></dc:creator><content:encoded><![CDATA[<p>The story.</p>]]>'
            f'</content:encoded><wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>'
            f'<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>'
            f'<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status>publish</wp:status>'
            f'<wp:post_type>{post_type}</wp:post_type>\n{comments}</item>\n')


def small_wxr() -> str:
    c1 = wxr_comment(11, "<p>The new wall must be higher.</p>", "2022-05-02 09:00:00", user_id=3)
    c2 = wxr_comment(12, "Agreed &mdash; two metres at least.", "2022-05-02 10:30:00", author="Bo", email="bo@mail.example",
                     parent=11)
    c3 = wxr_comment(13, "Cheap pills at pills.example", "2022-05-02 11:00:00", author="Spammer", email="s@spam.example",
                     approved="spam")
    c4 = wxr_comment(14, "Waiting for approval.", "2022-05-03 08:00:00", author="New Reader", email="new@mail.example",
                     approved="0")
    c5 = wxr_comment(15, "", "2022-05-03 09:00:00", kind="pingback", author="Some Blog", email="")
    c6 = wxr_comment(16, "I was there when the wall broke.", "2022-05-03 10:00:00", user_id=3)
    return (WXR_HEAD + wxr_item(101, "harbour-wall-rebuild", "Harbour wall to be rebuilt", "2022-05-01 08:00:00",
                                c1 + c2 + c3 + c4 + c5)
            + wxr_item(102, "library-budget", "Libraries stay open", "2022-06-01 08:00:00", c6)
            + wxr_item(103, "logo", "logo.png", "2022-06-01 08:00:00", "", post_type="attachment")
            + "</channel>\n</rss>\n")
