"""A comment's text as HTML: paragraphs, quotes (lines starting with "> ") and clickable links, nothing else.

markdown-it-py parses with raw HTML off and only three rules on (paragraph and line breaks, block quotes,
bare links found by linkify-it); nh3 (the Ammonia sanitiser) then keeps an allow-list of four tags and
one attribute, http(s) links only, every link marked rel="nofollow ugc noopener". No regular expression
touches the HTML. Only bare addresses become links, not ``[text](url)``: the link a reader sees is
the one they follow.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {"p", "br", "blockquote", "a"}
ATTRIBUTES = {"a": {"href"}}
SCHEMES = {"http", "https"}
REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True})
    md.enable(["blockquote", "linkify", "newline"])
    md.linkify.set({"fuzzy_email": False})  # an address in a comment stays text, not a mailto: link
    return md


def comment_html(text: str) -> Markup:
    """The comment, formatted and sanitised: safe to put in a page as it is."""
    raw = _parser().render(text or "")
    clean = nh3.clean(raw, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=REL,
                      strip_comments=True)
    return Markup(clean)  # sanitised by nh3 just above
