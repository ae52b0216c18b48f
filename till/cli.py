"""`till` command line: enrol, run, sync, status, devices."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import default_data_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="till", description="TillHQ till")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        sub.add_argument("--data", type=Path, default=None,
                         help="data folder (default ./.tilldata, or $TILL_DATA)")
        return sub

    enrol = add("enrol", "enrol this PC as a till with a one-time code from HQ")
    enrol.add_argument("--hq", required=True, help="HQ address, e.g. http://hq.example:8700")
    enrol.add_argument("--code", required=True, help="one-time enrolment code")
    enrol.add_argument("--name", default="till", help="a name for this till at HQ")
    run = add("run", "open the till window")
    run.add_argument("--printer", default=None,
                     help="file:/path, tcp:host:port or none (overrides devices.json)")
    add("sync", "push pending sales and pull HQ changes once")
    add("rotate-credential", "get a new device token from HQ (the old one stops working)")
    add("status", "show enrolment and sync state")
    add("devices", "list serial ports and HID devices (scanners, printers, displays)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = args.data or default_data_dir()
    return {"enrol": _enrol, "run": _run, "sync": _sync, "status": _status,
            "devices": _devices, "rotate-credential": _rotate}[args.command](args, data_dir)


def _enrol(args: argparse.Namespace, data_dir: Path) -> int:
    from .sync import EnrolFailed, enrol

    try:
        credential = enrol(data_dir, args.hq, args.code, args.name)
    except EnrolFailed as exc:
        print(f"enrolment failed: {exc}", file=sys.stderr)
        return 1
    print(f"enrolled as device {credential.device_id} of store {credential.store_code} "
          f"({credential.store_name}); data in {data_dir}")
    return 0


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    from .ui.app import run_till

    return run_till(data_dir, args.printer)


def _sync(args: argparse.Namespace, data_dir: Path) -> int:
    from .bootstrap import build_till

    till = build_till(data_dir)
    try:
        if till.agent is None:
            print("not enrolled — run `till enrol --hq URL --code CODE` first", file=sys.stderr)
            return 1
        status = till.agent.sync_once()
        _print_status(status)
        return 0 if status["last_error"] is None else 1
    finally:
        till.close()


def _rotate(args: argparse.Namespace, data_dir: Path) -> int:
    from .sync import (
        CredentialFile,
        HQRefused,
        HQUnavailable,
        SyncClient,
        load_credential,
        rotate_credential,
    )

    credential = load_credential(data_dir)
    if credential is None:
        print("not enrolled — run `till enrol --hq URL --code CODE` first", file=sys.stderr)
        return 1
    client = SyncClient(credential.hq_url, credential.token)
    try:
        rotate_credential(client, CredentialFile(data_dir))
    except (HQRefused, HQUnavailable) as exc:
        print(f"credential not rotated: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    print(f"new credential saved for device {credential.device_id}; HQ refuses the old one")
    return 0


def _status(args: argparse.Namespace, data_dir: Path) -> int:
    from .bootstrap import build_till
    from .ledger.sync_state import pending_count, read_sync_state

    till = build_till(data_dir)
    try:
        store = till.ledger.store()
        if store is None:
            print(f"not enrolled (data folder {data_dir})")
            return 1
        state = read_sync_state(till.ledger.connection())
        print(f"device {store.device_id} · store {store.store_code} {store.store_name} · "
              f"{store.currency}")
        print(f"pending events {pending_count(till.ledger.connection())} · acked seq "
              f"{state.acked_seq} · pull cursor {state.pull_cursor}")
        print(f"last push {state.last_push_at or 'never'} · last pull {state.last_pull_at or 'never'}"
              + (f" · last error: {state.last_error}" if state.last_error else ""))
        return 0
    finally:
        till.close()


def _devices(args: argparse.Namespace, data_dir: Path) -> int:
    from .devices.listing import device_report

    print("\n".join(device_report()))
    return 0


def _print_status(status: dict) -> None:  # type: ignore[type-arg]
    from .ui.status_text import sync_status_text

    print(sync_status_text(status))


if __name__ == "__main__":
    sys.exit(main())
