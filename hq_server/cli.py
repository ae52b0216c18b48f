"""`hq-server`: serve, migrate, seed-demo, import-products, apply-scheduled-prices, expiry-alerts,
enrol-code, till-user add, user add.

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

# Frozen copy of hq_server.db.models.HQ_USER_ROLES: the CLI parser imports no models.
HQ_USER_ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")


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


def _jwt_secret(data_dir: str) -> str:
    """HQ_JWT_SECRET if set, else the secret kept in DATA/jwt-secret (made on first start)."""
    from hq_server.auth.tokens import JWT_SECRET_ENV, load_or_create_secret

    return os.environ.get(JWT_SECRET_ENV) or load_or_create_secret(Path(data_dir).resolve())


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hq_server.auth.tokens import JWT_SECRET_ENV

    # uvicorn re-raises the signal that stopped it; as an exception it unwinds through
    # `database()` below, so the embedded PostgreSQL is stopped instead of orphaned.
    signal.signal(signal.SIGTERM, _interrupt)

    from hq_server.asgi import URL_ENV
    from hq_server.db.migrate import upgrade

    os.environ[JWT_SECRET_ENV] = _jwt_secret(args.data)  # read by create_app, in every worker
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


def cmd_till_user_add(args: argparse.Namespace) -> int:
    from hq_server.audit.service import record
    from hq_server.db.session import make_engine, make_session_factory, transaction
    from hq_server.till_users.service import TillUserError, create_till_user

    with database(args.data) as url:
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                user = create_till_user(session, name=args.name, role=args.role, pin=args.pin,
                                        store_code=args.store, badge=args.badge,
                                        max_discount_bp=args.max_discount_bp)
                user_id = user.id
                record(session, None, "till_user.created", "till_user", user.id, None,
                       {"name": user.name, "role": user.role, "store": args.store,
                        "badge": user.badge_hash is not None,
                        "max_discount_bp": user.max_discount_bp})
        except (LookupError, TillUserError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            engine.dispose()
    print(f"till user {args.name} ({args.role}, {args.store or 'every store'}): {user_id}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    import getpass

    from hq_server.db.session import make_engine, make_session_factory, transaction
    from hq_server.users.service import UserError, create_user

    password = args.password
    if password is None:
        password = getpass.getpass(f"password for {args.email}: ")
        if getpass.getpass("again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    with database(args.data) as url:
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                user = create_user(session, None, email=args.email, name=args.name, role=args.role,
                                   password=password, store_codes=args.store or [])
                user_id, email = user.id, user.email
        except (LookupError, UserError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            engine.dispose()
    print(f"HQ user {email} ({args.role}{', ' + ' '.join(args.store) if args.store else ''}): {user_id}")
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
    from hq_server.catalogue_admin.commands import add_commands

    add_commands(command)  # import-products, apply-scheduled-prices
    from hq_server.batches.commands import add_commands as add_batch_commands

    add_batch_commands(command)  # expiry-alerts
    enrol = command("enrol-code", cmd_enrol_code, "print a one-time code to enrol a till")
    enrol.add_argument("--store", required=True, help="store code, e.g. S001")
    enrol.add_argument("--ttl", type=int, default=60, help="minutes the code stays valid")
    users = sub.add_parser("till-user", help="people who sign in at tills")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="add a till user; tills pull it on their next sync")
    add.add_argument("--data", default="./.hqdata", help="data folder (embedded PostgreSQL in DATA/pg)")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=["cashier", "supervisor", "manager"])
    add.add_argument("--pin", required=True, help="4 to 8 digits")
    add.add_argument("--store", default=None, help="store code (default: every store)")
    add.add_argument("--badge", default=None, help="badge code to sign in by scanning")
    add.add_argument("--max-discount-bp", type=int, default=0,
                     help="discount in basis points the user may give without an override")
    add.set_defaults(func=cmd_till_user_add)
    hq_users = sub.add_parser("user", help="people who sign in to the HQ back office")
    hq_users_sub = hq_users.add_subparsers(dest="action", required=True)
    user_add = hq_users_sub.add_parser("add", help="add a back-office user")
    user_add.add_argument("--data", default="./.hqdata", help="data folder (embedded PostgreSQL in DATA/pg)")
    user_add.add_argument("--email", required=True)
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", required=True, choices=list(HQ_USER_ROLES))
    user_add.add_argument("--store", action="extend", nargs="+", metavar="CODE",
                          help="stores the user may see (store_manager, inventory): --store S001 S002")
    user_add.add_argument("--password", default=None, help="(default: asked for, not echoed)")
    user_add.set_defaults(func=cmd_user_add)
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
