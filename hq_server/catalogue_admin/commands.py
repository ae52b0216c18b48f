"""`hq-server import-products FILE` and `hq-server apply-scheduled-prices` (for cron)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register the catalogue commands with hq_server.cli's `command(name, func, help)`."""
    imp = command("import-products", cmd_import_products,
                  "import products and prices from a CSV (all rows or none)")
    imp.add_argument("file", help="CSV file (docs/back-office-catalogue.md describes the columns)")
    imp.add_argument("--currency", default=None, help="currency of the prices (default: the stores')")
    imp.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    command("apply-scheduled-prices", cmd_apply_scheduled_prices,
            "tell tills about scheduled prices that have started or ended")


def _in_transaction(data_dir: str, work: Callable[[Any], Any]) -> Any:
    from hq_server.cli import database
    from hq_server.db.session import make_engine, make_session_factory, transaction

    with database(data_dir) as url:
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                return work(session)
        finally:
            engine.dispose()


def cmd_import_products(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from hq_server.catalogue_admin.importer import errors_csv, import_products
    from hq_server.db.models import Store

    def work(session: Any) -> Any:
        currency = args.currency or _only(sorted(set(session.scalars(select(Store.currency)))))
        with open(args.file, "rb") as upload:
            return import_products(session, None, upload, currency=currency, dry_run=args.dry_run)

    try:
        result = _in_transaction(args.data, work)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if result.error_count:
        print(f"nothing imported: {result.error_count} problem(s)", file=sys.stderr)
        print(errors_csv(result.errors), end="", file=sys.stderr)
        return 2
    verb = "would change" if args.dry_run else "imported"
    print(f"{verb}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged "
          f"of {result.rows} rows")
    return 0


def _only(currencies: list[str]) -> str:
    if len(currencies) != 1:
        raise ValueError("the stores sell in several currencies (or there are none): "
                         "say which the file is in with --currency")
    return currencies[0]


def cmd_apply_scheduled_prices(args: argparse.Namespace) -> int:
    from hq_server.catalogue_admin.prices import apply_scheduled_prices

    applied = _in_transaction(args.data, apply_scheduled_prices)
    print(f"{applied} scheduled price change(s) sent to tills")
    return 0
