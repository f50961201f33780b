"""Interface languages: gettext catalogues made with Babel (``babel.cfg``; messages.po per language under
web/translations/), the Jinja2 i18n extension in the templates, dates by Babel in the reader's locale.

The language of a request: the reader's setting (their account, or the ``remarks_lang`` cookie for
readers who are not logged in), else the browser's Accept-Language, else English. The .po files are
compiled in memory when first used: the repository holds no binary catalogue."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, dates
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment

TRANSLATIONS = Path(__file__).parent / "translations"
LOCALES: dict[str, str] = {"en": "English", "zh_TW": "繁體中文（台灣）"}  # code -> its own name
DEFAULT = "en"
COOKIE = "remarks_lang"
_current: ContextVar[str] = ContextVar("remarks_locale", default=DEFAULT)


@lru_cache(maxsize=None)
def catalogue(locale: str) -> NullTranslations:
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        cat = read_po(f, locale=locale)
    buf = BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return Translations(buf)


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


def use(locale: str) -> str:
    """Make ``locale`` the language of what this request renders next."""
    _current.set(locale if locale in LOCALES else DEFAULT)
    return _current.get()


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return catalogue(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ungettext(singular, plural, n)


def when(value: datetime | None) -> str:
    """A date and time in the reader's locale, in UTC."""
    if value is None:
        return ""
    locale = Locale.parse(_current.get())
    return (f"{dates.format_date(value, 'medium', locale=locale)} "
            f"{dates.format_time(value, 'HH:mm', tzinfo=dates.UTC, locale=locale)} UTC")


def day(value: datetime | None) -> str:
    if value is None:
        return ""
    return dates.format_date(value, "long", locale=Locale.parse(_current.get()))


def html_lang() -> str:
    return _current.get().replace("_", "-")


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(LOCALES=LOCALES, html_lang=html_lang, current_locale=current)
    env.filters.update(when=when, day=day)
