"""The ``remarks`` command. Each module beside this one registers its commands on ``app``;
they share one ``--db`` option and one error handler (``common``).

To add a command: write it in the module of its group (or a new module listed in ``MODULES``)
as a plain function taking ``db: DbOption = None`` if it needs the database, and register it in
that module's ``register``.
"""

from __future__ import annotations

import importlib

from remarks.cli.common import App

app = App(help="remarks: comments for news sites, moderated by the newspaper's published policy.")

MODULES = ("site", "sites", "db", "checks", "desk", "publish", "imports", "worker")
for _name in MODULES:
    importlib.import_module(f"remarks.cli.{_name}").register(app)

__all__ = ["app"]
