"""The languages of what readers read, below the web layer: the gettext catalogues (Babel), the language
of the work at hand, and the words for services that write to readers (errors, e-mails, the statement of
reasons). The web layer (remarks.web.i18n) picks the language of a request and gives templates the same
catalogue.

Messages are written in English in the code. A message a reader may read is marked with ``N_`` so that
``pybabel extract`` puts it in the catalogue (``babel.cfg``); it is translated where it is shown
(``translate``), in the language of the request or of the reader an e-mail goes to (``speaking``).
The .po files are compiled in memory when first used: the repository holds no binary catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).parent / "web" / "translations"
LOCALES: dict[str, str] = {"en": "English", "zh_TW": "繁體中文（台灣）"}  # code -> its own name
DEFAULT = "en"
_current: ContextVar[str] = ContextVar("remarks_locale", default=DEFAULT)


def N_(message: str) -> str:  # (the name pybabel looks for)
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


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


def use(locale: str | None) -> str:
    """Make ``locale`` the language of what this request (or task) writes next."""
    _current.set(locale if locale in LOCALES else DEFAULT)
    return _current.get()


def current() -> str:
    return _current.get()


@contextmanager
def speaking(locale: str | None) -> Iterator[str]:
    """Write in ``locale`` for a while (an e-mail to a reader in their language), then as before."""
    token = _current.set(locale if locale in LOCALES else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return catalogue(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ungettext(singular, plural, n)


def translate(message: str, params: dict | None = None) -> str:
    """``message`` (marked with N_) in the current language, its %(name)s placeholders filled."""
    text = gettext(message)
    return text % params if params else text


def when(value: datetime | None) -> str:
    """A date and time in the current locale, in UTC."""
    if value is None:
        return ""
    locale = Locale.parse(_current.get())
    return (f"{dates.format_date(value, 'medium', locale=locale)} "
            f"{dates.format_time(value, 'HH:mm', tzinfo=dates.UTC, locale=locale)} UTC")


def day(value: datetime | None) -> str:
    if value is None:
        return ""
    return dates.format_date(value, "long", locale=Locale.parse(_current.get()))


def stamp(value: datetime, *, time: bool = True) -> str:
    """A date (and time) in the words of a message: "30 November 2026, 14:05 UTC" in English."""
    if _current.get() == DEFAULT:
        return f"{value:%d %B %Y, %H:%M} UTC" if time else f"{value:%d %B %Y}"
    locale = Locale.parse(_current.get())
    words = dates.format_date(value, "long", locale=locale)
    return f"{words} {dates.format_time(value, 'HH:mm', tzinfo=dates.UTC, locale=locale)} UTC" if time else words
