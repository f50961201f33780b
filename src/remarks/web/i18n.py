"""Interface languages: gettext catalogues made with Babel (``babel.cfg``; messages.po per language under
web/translations/), the Jinja2 i18n extension in the templates, dates by Babel in the reader's locale.

The language of a request: the reader's setting (their account, or the ``remarks_lang`` cookie for
readers who are not logged in), else the browser's Accept-Language, else English. The .po files are
compiled in memory when first used (remarks.i18n, which services use for what they write to readers).
"""

from __future__ import annotations

from babel.core import negotiate_locale
from jinja2 import Environment

from remarks.i18n import (  # noqa: F401 - the web layer's names for them
    DEFAULT,
    LOCALES,
    TRANSLATIONS,
    catalogue,
    current,
    day,
    gettext,
    ngettext,
    speaking,
    translate,
    use,
    when,
)

COOKIE = "remarks_lang"


def from_header(header: str) -> str | None:
    """The best of LOCALES for an Accept-Language header ("zh-TW,zh;q=0.9,en;q=0.8")."""
    tags = []
    for i, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            tags.append((-q, i, tag.strip().replace("-", "_")))
    preferred = []
    for _, _, tag in sorted(tags):
        preferred.append(tag)
        if tag.lower().startswith("zh"):  # the one Chinese catalogue is Traditional Chinese
            preferred.append("zh_TW")
    return negotiate_locale(preferred, list(LOCALES), sep="_") if preferred else None


def choose(user_locale: str | None, cookie: str | None, accept_language: str | None) -> str:
    for explicit in (user_locale, cookie):
        if explicit in LOCALES:
            return explicit
    return from_header(accept_language or "") or DEFAULT


def html_lang() -> str:
    return current().replace("_", "-")


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(LOCALES=LOCALES, html_lang=html_lang, current_locale=current)
    # ``translated``: a message that reaches the template as a value (a measure's title, a rule's label).
    env.filters.update(when=when, day=day, translated=gettext)
