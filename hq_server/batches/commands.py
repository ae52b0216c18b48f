"""`hq-server expiry-alerts [--on YYYY-MM-DD]`: raise expiry exceptions (for cron; idempotent)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register the batch commands with hq_server.cli's `command(name, func, help)`."""
    alerts = command("expiry-alerts", cmd_expiry_alerts,
                     "raise one expiry exception per batch with stock inside its store's alert window")
    alerts.add_argument("--on", type=date.fromisoformat, default=None,
                        help="the day to judge by, YYYY-MM-DD (default: today, UTC)")


def cmd_expiry_alerts(args: argparse.Namespace) -> int:
    from hq_server.batches.alerts import raise_expiry_alerts
    from hq_server.cli import database
    from hq_server.db.session import make_engine, make_session_factory, transaction

    today = args.on or datetime.now(UTC).date()
    with database(args.data) as url:
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                raised = raise_expiry_alerts(session, today)
        finally:
            engine.dispose()
    print(f"expiry alerts for {today.isoformat()}: {raised} new")
    return 0
