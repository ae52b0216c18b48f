"""Enrolling this PC as a till of a store, with the one-time code made at HQ."""

from __future__ import annotations

from pathlib import Path

from shared.wire import EnrolRequest, EnrolResponse

from ..ledger import Ledger
from ..ledger.journal import last_seq
from ..paths import ledger_path
from .client import HQRefused, HQUnavailable, SyncClient
from .credential import Credential, save_credential


class EnrolFailed(RuntimeError):
    pass


def enrol(data_dir: Path, hq_url: str, code: str, device_name: str = "till") -> Credential:
    with Ledger.open(ledger_path(data_dir)) as ledger:
        _refuse_if_journal_belongs_to_a_device(ledger, None)  # before spending the one-time code
    client = SyncClient(hq_url)
    try:
        request = EnrolRequest(code=code.strip(), device_name=device_name)
        answer = EnrolResponse.model_validate(
            client.request("POST", "/enrol", data=request.model_dump_json(),
                           headers={"Content-Type": "application/json"}))
    except HQRefused as exc:
        raise EnrolFailed(f"HQ refused the enrolment code: {exc} — ask HQ for a new code") from exc
    except HQUnavailable as exc:
        raise EnrolFailed(f"{exc} — check the HQ address and the network") from exc
    finally:
        client.close()
    credential = Credential(answer.device_id, answer.token, hq_url.rstrip("/"), answer.store_id,
                            answer.store_code, answer.store_name, answer.currency)
    with Ledger.open(ledger_path(data_dir)) as ledger:
        write_store_meta(ledger, credential)
    save_credential(data_dir, credential)
    return credential


def write_store_meta(ledger: Ledger, credential: Credential) -> None:
    """Record who this till is; refuses to re-enrol a ledger that already holds another device's events."""
    _refuse_if_journal_belongs_to_a_device(ledger, credential.device_id)
    with ledger.transaction() as uow:
        for key, value in (("device_id", credential.device_id), ("store_id", credential.store_id),
                           ("store_code", credential.store_code),
                           ("store_name", credential.store_name),
                           ("currency", credential.currency), ("hq_url", credential.hq_url)):
            uow.set_meta(key, value)


def _refuse_if_journal_belongs_to_a_device(ledger: Ledger, new_device_id: str | None) -> None:
    current = ledger.meta("device_id")
    if current and current != new_device_id and last_seq(ledger.connection()) > 0:
        raise EnrolFailed(
            f"this data folder already holds the journal of device {current}; enrolling it as "
            "another device would break its hash chain — use a new data folder (--data)")
