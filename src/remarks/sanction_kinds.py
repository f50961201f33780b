"""Sanction kinds, and the measures a statement of reasons names, declared once.

A sanction kind is a row here: whether it ends (a suspension has an end date and needs a length),
whether it stops the user posting, the audit event it writes, the words the user reads (desk,
e-mail, their page, the statement) and the fields of the EU DSA Transparency Database export.
Sanctions, statements, exports, the desk and reader templates, the API schema and the policy's
escalation ladder all read this table. To add a kind: add a row to ``KINDS`` (and its event to
``remarks.events``); nothing else lists the kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from remarks.events import Event
from remarks.i18n import N_


@dataclass(frozen=True)
class Measure:
    name: str  # stored in sanctions.kind / statements.measure
    # The words a user reads (title .. reader, describe) are marked for the catalogue (remarks.i18n) and
    # translated where they are shown: the user's page, their e-mail, the refusal of a post.
    title: str  # heading on the user's page
    subject: str  # e-mail subject of the statement
    statement: str  # first line of the statement; {until} is the end date
    reader: str  # what it means for the user, on their page; {until} is the end date
    facts: str  # the export's decision_facts, with no personal data
    dsa_account: str = ""  # DSA decision_account (restriction of the account)
    dsa_visibility: str = ""  # DSA decision_visibility (restriction of the content)


@dataclass(frozen=True)
class SanctionKind(Measure):
    label: str = ""  # the desk's verb ("suspend")
    done: str = ""  # the desk's past participle ("suspended")
    ends: bool = False  # has an end date: needs a length in days
    stops_posting: bool = False  # the user cannot post or report while it runs
    event: Event = Event.USER_WARNED
    describe: str = ""  # the words the user reads; {why} {reason} {since} {until}

    def words(self, *, why: str, reason: str, since: str, until: str) -> str:
        return self.describe.format(why=why, reason=reason, since=since, until=until)


KINDS: dict[str, SanctionKind] = {k.name: k for k in (
    SanctionKind(
        name="warning", label="warn", done=N_("warned"), ends=False, stops_posting=False, event=Event.USER_WARNED,
        title=N_("Warning"), subject=N_("A warning about your comments"), statement=N_("You received a warning."),
        reader=N_("A warning; you can still comment."), facts="A user was warned",
        describe=N_("You were warned{why}{reason}.")),
    SanctionKind(
        name="suspension", label="suspend", done=N_("suspended"), ends=True, stops_posting=True,
        event=Event.USER_SUSPENDED, title=N_("Suspension"), subject=N_("You are suspended from commenting"),
        statement=N_("You are suspended from commenting until {until}."), reader=N_("You cannot comment until {until}."),
        facts="A user was suspended", dsa_account="DECISION_ACCOUNT_SUSPENDED",
        describe=N_("You are suspended from commenting{why}{reason} until {until}.")),
    SanctionKind(
        name="ban", label="ban", done=N_("banned"), ends=False, stops_posting=True, event=Event.USER_BANNED,
        title=N_("Ban"), subject=N_("You are banned from commenting"), statement=N_("You are banned from commenting permanently."),
        reader=N_("You cannot comment any more (permanent)."), facts="A user's account was terminated",
        dsa_account="DECISION_ACCOUNT_TERMINATED",
        describe=N_("You are banned from commenting{why}{reason}, since {since}. The ban is permanent.")),
)}

REMOVAL = Measure(name="removal", title=N_("Comment removed"), subject=N_("Your comment was removed"),
                  statement=N_("Your comment was removed."), reader=N_("Your comment was removed from the page."),
                  facts="A comment was removed", dsa_visibility="DECISION_VISIBILITY_CONTENT_REMOVED")

# Every measure a statement of reasons can name: the removal of a comment, or a sanction.
MEASURES: dict[str, Measure] = {REMOVAL.name: REMOVAL, **KINDS}

# Kinds that keep a user from posting, permanent ones (no end date) first.
BLOCKING = tuple(k.name for k in sorted(KINDS.values(), key=lambda k: k.ends) if k.stops_posting)
