"""Jinja2 templates (autoescaped) and their filters."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from remarks.checks.base import RULE_LABELS, RULES

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def when(value: datetime | None) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


templates.env.filters["when"] = when
templates.env.filters["paragraphs"] = paragraphs
templates.env.globals["RULES"] = RULES
templates.env.globals["RULE_LABELS"] = RULE_LABELS
