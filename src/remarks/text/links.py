"""Web addresses in a comment: the one place that decides what is a link.

Candidates come from ``urlextract`` (its bundled IANA top-level-domain list; never updated at run
time) and each is checked against the Public Suffix List snapshot that ships inside ``tldextract``
(no download: ``suffix_list_urls=()``, no cache directory). A candidate counts as a link when it has
URL context:

- a scheme (``https://...``) or a ``www.`` prefix, or a path (``example.shop/offer``); or
- a bare host written as a web address is written: no space after the dot (the extractor never
  spans a space), in one case (``example.com``, ``EXAMPLE.COM``, not ``documents.Shop``), with a
  registrable domain under a public suffix (``co.uk`` alone is not a link).

So "...the consultation documents. Shop owners..." holds no link, while ``bestdeals.shop`` does.
Addresses spelled out to slip past filters ("example dot com", "example(dot)com") are found by
:data:`SPELLED_OUT` and marked ``obfuscated``.

Use :func:`find_links` for spans and :func:`has_link` for a yes/no; :func:`mask_links` replaces
each link by a placeholder for the models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

# Link shorteners: a link through one of these hides where it goes.
SHORTENERS = frozenset("""bit.ly goo.gl tinyurl.com t.co ow.ly is.gd buff.ly rebrand.ly cutt.ly shorturl.at
    tiny.cc rb.gy s.id t.ly v.gd bl.ink lnkd.in trib.al dlvr.it shorte.st adf.ly""".split())

# Top-level domains people spell out ("dot com") in comments.
SPELLED_TLDS = ("com", "net", "org", "info", "biz", "io", "co", "me", "ly", "xyz", "shop", "store", "online",
                "site", "club", "top", "ru", "uk", "us", "tv", "gg", "app")
# Words that stand before a spoken "dot com" without being a domain ("the dot com bubble").
_NOT_A_NAME = frozenset("the a an this that of in at on for to and or dead first late early big".split())
SPELLED_OUT = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})\s*(?:\(dot\)|\[dot\]|\{dot\}|\(\.\)|\[\.\]|\s+dot\s+)\s*"
    r"(" + "|".join(SPELLED_TLDS) + r")\b(?:/\S*)?",
    re.IGNORECASE,
)
# Characters that never end a host but that urlextract keeps reading into one ("example.com!").
_BLANK_FOR_EXTRACTION = str.maketrans({c: " " for c in "!¡…"})


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    text: str
    host: str  # lower-cased, without "www."
    kind: str  # "link" or "short link"
    obfuscated: bool = False


@cache
def _extractor():  # urlextract.URLExtract
    from urlextract import URLExtract

    # extract_email=False: e-mail addresses are the promotion check's own pattern, not links.
    return URLExtract(extract_email=False, extract_localhost=False)


@cache
def _suffixes():  # tldextract.TLDExtract
    import tldextract

    # The Public Suffix List snapshot bundled with tldextract; no network, no cache files.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


# A cheap test before the extractor: something.letters with no space after the dot, or a scheme.
_MAYBE = re.compile(r"[\w-]\.[^\W\d_]{2,}|://")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _host(candidate: str) -> tuple[str, bool, bool]:
    """(host as typed, has a scheme, has a path/query after the host)."""
    rest = _SCHEME.sub("", candidate)
    scheme = len(rest) != len(candidate)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    path = len(rest) > len(host) and rest[len(host):] not in ("/", "")
    return host, scheme, path


_HOST_AT_END = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[\w-]+)+$")
_TRAILING = ".,;:!?'\""


def _trim(candidate: str, start: int, end: int) -> tuple[str, int, int]:
    """The extractor sometimes keeps what is glued before a bare host ("23...www.example.org",
    "14%...cbc.ca/x") or a full stop after it: keep the address itself."""
    while candidate and candidate[-1] in _TRAILING:
        candidate, end = candidate[:-1], end - 1
    if not _SCHEME.match(candidate):
        head = re.split(r"[/?#]", candidate, maxsplit=1)[0]
        m = _HOST_AT_END.search(head)
        if m and m.start() > 0:
            candidate, start = candidate[m.start():], start + m.start()
    return candidate, start, end


def _registrable(host: str) -> str | None:
    ext = _suffixes()(host.lower())
    if not ext.domain or not ext.suffix:
        return None
    return f"{ext.domain}.{ext.suffix}"


def _accept(candidate: str) -> tuple[bool, str]:
    host, scheme, path = _host(candidate)
    low = host.lower()
    www = low.startswith("www.")
    bare = low[4:] if www else low
    domain = _registrable(low)
    if scheme or www:
        return True, bare
    if domain is None:
        return False, bare
    if path:
        return True, bare
    # A bare host: typed the way addresses are typed, in one case.
    return host in (host.lower(), host.upper()), bare


def find_links(text: str) -> list[Link]:
    """Every web address in ``text`` with its character span, in order."""
    return list(_find(text))


@lru_cache(maxsize=4096)  # the promotion, abuse and language checks all ask about the same comment
def _find(text: str) -> tuple[Link, ...]:
    found: list[Link] = []
    scan = text.translate(_BLANK_FOR_EXTRACTION)
    candidates = _extractor().find_urls(scan, only_unique=False, check_dns=False, get_indices=True) if _MAYBE.search(text) else []
    for raw, (start, end) in candidates:
        candidate, start, end = _trim(raw, start, end)
        ok, host = _accept(candidate)
        if ok:
            domain = _registrable(host) or host
            kind = "short link" if domain in SHORTENERS or host in SHORTENERS else "link"
            found.append(Link(start, end, text[start:end], host, kind))
    for m in SPELLED_OUT.finditer(text) if "dot" in text.lower() or "(.)" in text or "[.]" in text else ():
        if m.group(1).lower() in _NOT_A_NAME:
            continue
        if any(m.start() < f.end and f.start < m.end() for f in found):
            continue
        host = f"{m.group(1)}.{m.group(2)}".lower()
        found.append(Link(m.start(), m.end(), m.group(), host, "link", obfuscated=True))
    return tuple(sorted(found, key=lambda link: link.start))


def has_link(text: str) -> bool:
    return bool(find_links(text))


def mask_links(text: str, placeholder: str = " url ") -> str:
    """``text`` with each link replaced by ``placeholder`` (for models and language detection)."""
    links = find_links(text)
    if not links:
        return text
    out, last = [], 0
    for link in links:
        out += [text[last:link.start], placeholder]
        last = link.end
    out.append(text[last:])
    return "".join(out)
