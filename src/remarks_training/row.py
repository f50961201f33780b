"""One labelled training or evaluation text (shared by the dataset readers and the seed examples)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    text: str
    abuse: int | None = None  # 1 abusive/offensive, 0 not, None unknown
    attack: int | None = None  # 1 personal attack on an individual, 0 not, None unknown
    source: str = ""
    extra: dict = field(default_factory=dict)
