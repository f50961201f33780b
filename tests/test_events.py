"""Event names are declared once (remarks.events): no audit or webhook name is written anywhere
else as a bare string, every declared event is used, and an unknown name is refused."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from remarks.events import WEBHOOK_EVENTS, Event
from remarks.services import audit

SRC = Path(__file__).parents[1] / "src" / "remarks"
SUBJECTS = {e.value.split(":")[0] for e in Event}
AUDIT_NAME = re.compile(r"^([a-z_]+):[a-z_]+$")
PREFIX = re.compile(r"^([a-z_]+):$")


def _sources() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if p != SRC / "events.py" and "migrations" not in p.parts]


def _bare_names(path: Path) -> list[str]:
    where = path.relative_to(SRC) if path.is_relative_to(SRC) else path.name
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = AUDIT_NAME.match(node.value)
            if (m and m.group(1) in SUBJECTS) or node.value in WEBHOOK_EVENTS:
                found.append(f"{where}:{node.lineno}: {node.value!r}")
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            m = PREFIX.match(str(node.values[0].value))  # f"comment:{state}"
            if m and m.group(1) in SUBJECTS:
                found.append(f"{where}:{node.lineno}: f-string {node.values[0].value!r}...")
    return found


def test_every_event_name_in_the_code_comes_from_the_enum():
    bare = [hit for p in _sources() for hit in _bare_names(p)]
    assert not bare, "event names written as bare strings (use remarks.events.Event):\n" + "\n".join(bare)


def test_the_check_can_fail(tmp_path):
    tmp = tmp_path / "module.py"
    tmp.write_text('audit.record(session, "comment:removed")\nname = f"user:{kind}"\nhook = "user.sanctioned"\n')
    assert len(_bare_names(tmp)) == 3


def test_every_declared_event_is_used_and_means_something():
    code = "\n".join(p.read_text(encoding="utf-8") for p in _sources())
    unused = [e.name for e in Event if f"Event.{e.name}" not in code]
    assert not unused, f"declared but never recorded: {unused}"
    assert all(e.meaning.endswith(".") and e.value == e.value.lower() for e in Event)
    assert set(WEBHOOK_EVENTS) == {"comment.created", "comment.held", "comment.removed", "comment.restored",
                                   "user.sanctioned", "user.sanction_lifted",  # added by #11
                                   "appeal.decided"}  # the publisher API's contract: names are only added


def test_an_unknown_event_name_is_refused(session):
    with pytest.raises(ValueError):
        audit.record(session, "comment:teleported", actor=None, subject_type="comment", subject_id=None)
