"""`hq-server`: serve, migrate, seed-demo, enrol-code.

Without DATABASE_URL every command uses the embedded PostgreSQL cluster under DATA/pg: a server
already started there (by a running `serve`) is reused, otherwise one is started for the
duration of the command and stopped after it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from hq_server.db.embedded import EmbeddedPostgres, EmbeddedPostgresError, running_url


@contextlib.contextmanager
def database(data_dir: str) -> Iterator[str]:
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    folder = Path(data_dir).resolve() / "pg"
    if url := running_url(folder):
        yield url
        return
    with EmbeddedPostgres(folder) as cluster:
        yield cluster.url


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    # uvicorn re-raises the signal that stopped it; as an exception it unwinds through
    # `database()` below, so the embedded PostgreSQL is stopped instead of orphaned.
    signal.signal(signal.SIGTERM, _interrupt)

    from hq_server.asgi import URL_ENV
    from hq_server.db.migrate import upgrade

    with database(args.data) as url:
        upgrade(url)
        print(f"TillHQ HQ on http://{args.host}:{args.port}  (dashboard /, API docs /docs)", flush=True)
        if args.workers > 1:
            os.environ[URL_ENV] = url  # the workers build their app from it (hq_server.asgi)
            uvicorn.run("hq_server.asgi:app", factory=True, host=args.host, port=args.port,
                        workers=args.workers, timeout_graceful_shutdown=5)
        else:
            from hq_server.app import create_app

            uvicorn.run(create_app(url), host=args.host, port=args.port, timeout_graceful_shutdown=5)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from hq_server.db.migrate import upgrade

    with database(args.data) as url:
        upgrade(url)
    print("database is at the latest migration")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from hq_server.db.migrate import upgrade
    from hq_server.seed.demo import seed_demo

    with database(args.data) as url:
        upgrade(url)
        summary = seed_demo(url, stores=args.stores, products=args.products, days=args.days)
    print(summary.message if summary.skipped else
          f"{summary.message}: {summary.stores} stores, {summary.products} products, "
          f"{summary.sales} sales, {summary.movements} stock movements in {summary.seconds}s")
    return 0


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from hq_server.db.session import make_engine, make_session_factory, transaction
    from hq_server.devices.service import create_enrolment_code

    with database(args.data) as url:
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                code = create_enrolment_code(session, args.store, ttl_minutes=args.ttl)
        except LookupError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            engine.dispose()
    print(code)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hq-server", description="TillHQ head-office server")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:  # noqa: ANN001
        p = sub.add_parser(name, help=help_)
        p.add_argument("--data", default="./.hqdata", help="data folder (embedded PostgreSQL in DATA/pg)")
        p.set_defaults(func=func)
        return p

    serve = command("serve", cmd_serve, "run the HQ server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--workers", type=int, default=1)
    command("migrate", cmd_migrate, "apply database migrations")
    seed = command("seed-demo", cmd_seed_demo, "fill an empty database with a demo chain")
    seed.add_argument("--products", type=int, default=5000)
    seed.add_argument("--days", type=int, default=90)
    seed.add_argument("--stores", type=int, default=5)
    enrol = command("enrol-code", cmd_enrol_code, "print a one-time code to enrol a till")
    enrol.add_argument("--store", required=True, help="store code, e.g. S001")
    enrol.add_argument("--ttl", type=int, default=60, help="minutes the code stays valid")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EmbeddedPostgresError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
