"""Merge rule 9: integrity breaks stop the device, not the chain."""

import httpx

from shared.journal import seal
from tests.integration.hq.helpers import enrol_till, exceptions, query, scalar


def refused(reply, status: int, error: str) -> None:
    assert reply.status_code == status, reply.text
    assert reply.json()["error"] == error


def quarantine(database_url: str, device_id: str) -> tuple:
    return query(database_url, "SELECT quarantined_at, quarantine_reason FROM devices WHERE id = %s",
                 (device_id,))[0]


def rewrite_first_sale(till):  # noqa: ANN001, ANN201
    first = till.sell((till.products[0], 1))
    assert till.push().status_code == 200
    return seal(**{**first.hashed_part(), "hlc": till.clock.now().encode()})


def test_the_same_event_id_with_new_content_quarantines_the_device_and_raises_one_integrity_exception(
        hq_server, till):
    till.products = hq_server.seed.products
    rewritten = rewrite_first_sale(till)

    refused(till.push([rewritten]), 409, "conflicting_event")

    at, reason = quarantine(hq_server.database_url, till.device_id)
    assert at is not None and reason.startswith("conflicting_event")
    (kind, _, details, resolved), = exceptions(hq_server.database_url)
    assert kind == "integrity" and resolved is None
    assert details["error"] == "conflicting_event" and details["seq"] == 1
    assert details["event_id"] == rewritten.event_id


def test_a_quarantined_device_is_refused_and_stores_nothing_while_other_tills_keep_syncing(hq_server, till):
    till.products = hq_server.seed.products
    refused(till.push([rewrite_first_sale(till)]), 409, "conflicting_event")
    other = enrol_till(hq_server)
    till.sell((hq_server.seed.products[1], 1))
    other.sell((hq_server.seed.products[1], 1))

    refused(till.push(), 409, "quarantined")
    refused(till.push(till.journal[:1]), 409, "quarantined")
    assert other.push().json()["applied"] == 1

    assert scalar(hq_server.database_url, "SELECT count(*) FROM events WHERE device_id = %s",
                  (till.device_id,)) == 1
    assert scalar(hq_server.database_url, "SELECT count(*) FROM events") == 2
    assert len(exceptions(hq_server.database_url, "integrity")) == 1


def test_a_broken_chain_quarantines_the_device(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    second = till.sell((hq_server.seed.products[0], 1))
    relinked = seal(**{**second.hashed_part(), "prev_hash": "f" * 64})

    refused(till.push([till.journal[0], relinked]), 409, "broken_chain")

    assert quarantine(hq_server.database_url, till.device_id)[0] is not None
    assert scalar(hq_server.database_url, "SELECT count(*) FROM events") == 0
    assert [e[2]["error"] for e in exceptions(hq_server.database_url, "integrity")] == ["broken_chain"]
    refused(till.push(till.journal), 409, "quarantined")


def test_a_seq_gap_or_a_bad_hash_is_refused_without_quarantine(hq_server, till):
    for _ in range(3):
        till.sell((hq_server.seed.products[0], 1))
    tampered = till.journal[0].__class__(**{**till.journal[0].to_dict(), "hlc": "0"})

    refused(till.push(till.journal[1:]), 409, "seq_gap")
    refused(till.push([tampered]), 422, "bad_hash")

    assert quarantine(hq_server.database_url, till.device_id) == (None, None)
    assert exceptions(hq_server.database_url) == []
    assert till.push().json()["applied"] == 3


def release(hq_server, device_id: str, headers=None) -> httpx.Response:  # noqa: ANN001
    return httpx.post(f"{hq_server.url}/api/v1/devices/{device_id}/release",
                      json={"note": "journal restored from backup"},
                      headers=hq_server.admin_headers if headers is None else headers)


def test_a_person_releases_the_device_and_its_integrity_exception_is_resolved_with_who_and_why(
        hq_server, till):
    till.products = hq_server.seed.products
    refused(till.push([rewrite_first_sale(till)]), 409, "conflicting_event")

    reply = release(hq_server, till.device_id)

    assert reply.status_code == 200, reply.text
    assert reply.json()["quarantined"] is False
    assert quarantine(hq_server.database_url, till.device_id) == (None, None)
    (_, _, _, resolved_at), = exceptions(hq_server.database_url, "integrity")
    assert resolved_at is not None
    assert query(hq_server.database_url, "SELECT resolved_by, resolution, note FROM exceptions") == [
        ("admin@example.com", "device released", "journal restored from backup")]
    till.sell((hq_server.seed.products[1], 1))
    assert till.push().json() == {"acked_seq": 2, "applied": 1, "duplicates": 1}


def test_releasing_needs_a_signed_in_user_and_a_quarantined_device(hq_server, till):
    assert release(hq_server, till.device_id, headers={}).status_code == 401
    assert release(hq_server, till.device_id).status_code == 409
    assert release(hq_server, "018f0000-0000-7000-8000-000000000000").status_code == 404
