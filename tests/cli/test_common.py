"""One CLI: every command runs inside the one error handler, takes the one --db option, and the
webhook commands are one group."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from remarks.cli import app


def _commands(group=None, prefix=""):
    cmd = group or typer.main.get_command(app)
    for name, sub in cmd.commands.items():
        if hasattr(sub, "commands"):
            yield from _commands(sub, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", sub


def test_every_command_is_wrapped_by_the_one_handler_and_has_the_same_db_option():
    commands = dict(_commands())
    assert {"serve", "db upgrade", "db backup", "db restore", "user create", "moderate", "train", "eval",
            "calibrate", "audit export", "statements export", "publisher create", "webhook add",
            "webhook deliver"} <= set(commands)
    shapes = set()
    for name, cmd in commands.items():
        assert getattr(cmd.callback, "__wrapped__", None) is not None, f"{name} bypasses the error handler"
        shapes |= {(p.name, p.default, getattr(p, "multiple", False), getattr(p, "is_flag", False))
                   for p in cmd.params if "--db" in getattr(p, "opts", ())}
    assert shapes == {("db", None, False, False)}, shapes  # one --db: a URL, optional


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True, timeout=120,
                          **kw)


def test_webhook_is_one_group_and_errors_are_one_line(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    listing = run("--help").stdout
    assert "webhook " in listing and "webhooks" not in listing
    r = run("webhook", "add", "https://example.org/hook", "--publisher", "nobody", "--db", db)
    assert r.returncode == 1 and r.stderr.strip() == "error: no publisher 'nobody'", r.stderr
    r = run("webhook", "deliver", "--db", db)
    assert r.returncode == 0, r.stderr
    assert run("webhooks", "deliver", "--db", db).returncode == 0  # the old spelling still works
    r = run("db", "restore", str(tmp_path / "missing.db"), "--db", db)
    assert r.returncode == 1 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr
