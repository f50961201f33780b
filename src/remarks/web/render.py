"""Jinja2 templates (autoescaped) and their filters. Each app makes its own environment
(``make_templates``); routes reach it as ``request.app.state.templates``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from remarks.config import Settings
from remarks.sanction_kinds import KINDS, MEASURES
from remarks.moderation import rules
from remarks.services.formatting import comment_html
from remarks.web import i18n

TEMPLATES = Path(__file__).parent / "templates"


def make_templates(settings: Settings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.filters.update(when=when, paragraphs=paragraphs, highlight=highlight,
                                 comment_html=comment_html, day=day)
    templates.env.globals.update(rules=rules, SANCTION_KINDS=KINDS, MEASURES=MEASURES,  # the rules and sanctions tables
                                 site_name=settings.site_name)
    i18n.install(templates.env)  # gettext in the templates, dates in the reader's locale
    return templates


def when(value: datetime | None) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def day(value: datetime | None) -> str:
    return value.strftime("%d %B %Y") if value else ""


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def highlight(text: str, checks) -> Markup:
    """The comment with the evidence spans of each rule marked in that rule's colour (escaped)."""
    spans = []
    for r in checks:
        for sp in (r.evidence or {}).get("spans", []):
            try:
                start, end = int(sp["start"]), int(sp["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= start < end <= len(text):
                spans.append((start, end, r.rule, str(sp.get("label", ""))))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    for start, end, rule, label in spans:
        if start < pos:
            continue  # overlapping spans: the first (longest) wins
        out.append(escape(text[pos:start]))
        title = f"{rules.label(rule)}{': ' + label if label else ''}"
        out.append(Markup('<mark class="ev ev-{}" title="{}">{}</mark>').format(rule, title, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)
