"""``remarks worker``: the webhook and e-mail deliveries in a process of their own (compose.yaml runs
one beside the web servers, which then set REMARKS_WEBHOOKS_ENABLED=false and REMARKS_MAIL_ENABLED=false)."""

from __future__ import annotations

import signal
import threading

from remarks.cli.common import App, DbOption, err, sessions, settings


def worker(db: DbOption = None) -> None:
    """Deliver webhook events and e-mail until stopped (SIGTERM or Ctrl-C)."""
    from remarks.services import notify
    from remarks.services.webhooks import Worker
    from remarks.services.worker import Periodic

    conf = settings(db)
    factory = sessions(db, migrate=True)
    running = [Worker(factory, allow_private=conf.webhook_allow_private)]
    if conf.smtp_host:
        running.append(Periodic("mail", lambda: notify.deliver_due(factory, conf), conf.mail_interval))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    for w in running:
        w.start()
    err.print(f"delivering webhooks{' and e-mail' if conf.smtp_host else ''} (database {conf.database_url})")
    stop.wait()
    for w in running:
        w.stop()
    err.print("worker stopped")


def register(app: App) -> None:
    app.command("worker")(worker)
