"""A house rule as a plug-in: "Do not post phone numbers, yours or anyone else's."

Installed next to remarks (``pip install ./examples/phone-rule``), this check adds the rule ``phone`` to
the rules table: its score holds and removes comments by the policy's thresholds, moderators can cite
it, statements of reasons and the Transparency Database export name it.
"""

from __future__ import annotations

import re

from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.moderation.rules import Rule

# A run of 9 to 15 digits, allowing the spaces, dots, dashes and brackets people write them with.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s.()-]*\d){8,14}(?!\w)")


class PhoneNumbers(Check):
    rule = "phone"
    version = "phone-1"
    rule_info = Rule(
        name="phone",
        label="Phone numbers",
        clause="\"Do not post phone numbers, yours or anyone else's.\" (house rule)",
        ground="House rule: no phone numbers",
        dsa_category="STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        colour="#d4f0c0",
        hold=0.5,
        remove=1.0,  # a person decides: never removed automatically
    )

    def score(self, ctx: CommentContext) -> CheckResult:
        spans = tuple(Span(m.start(), m.end(), "phone number") for m in _PHONE.finditer(ctx.text))
        return CheckResult(self.rule, 0.9 if spans else 0.0, self.version, spans=spans,
                           details={"numbers": [ctx.text[s.start:s.end] for s in spans]})
