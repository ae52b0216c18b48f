"""Gift cards and store credit at HQ: postings applied exactly once, balances a counter in any
order, a card taken below zero raising one exception (resolvable like the others), the balance
reaching tills through the change log, and the lookup API."""

from __future__ import annotations

import httpx

from shared.gift_card_events import GiftCardPosted
from shared.gift_cards import luhn_check_digit
from tests.integration.hq.customers.helpers import get_json
from tests.integration.hq.helpers import enrol_till, exceptions, query, scalar
from tests.integration.hq.test_dashboard import ADMIN, signed_in

CARD = "603600000000001" + luhn_check_digit("603600000000001")


def post(till, delta: int, reason: str = "", card: str = CARD, receipt_no: str = ""):  # noqa: ANN001, ANN201
    reason = reason or ("load" if delta > 0 else "redeem")
    posted = GiftCardPosted(card, till.store_id, delta, "EUR", reason, receipt_no=receipt_no)
    return till.record(GiftCardPosted.TYPE, 1, posted.to_payload())


def balance(url: str, card: str = CARD) -> int:
    return scalar(url, "SELECT balance_minor FROM gift_cards WHERE card_number = %s", (card,))


def card_changes(till, cursor: int = 0) -> list[dict]:  # noqa: ANN001
    reply = till.pull(cursor=cursor)
    assert reply.status_code == 200, reply.text
    return [c["data"] for c in reply.json()["changes"] if c["kind"] == "gift_card"]


def test_postings_are_applied_once_however_often_a_till_resends(hq_server, till):
    post(till, 5000)
    post(till, -1200, receipt_no="R2")
    assert till.push().json()["applied"] == 2
    for _ in range(2):
        assert till.push().json()["duplicates"] == 2
    assert balance(hq_server.database_url) == 3800
    assert scalar(hq_server.database_url, "SELECT count(*) FROM gift_card_postings") == 2
    assert query(hq_server.database_url, "SELECT reason, balance_after FROM gift_card_postings "
                                         "ORDER BY seq") == [("load", 5000), ("redeem", 3800)]
    assert exceptions(hq_server.database_url) == []


def test_a_card_spent_at_two_stores_offline_keeps_both_and_raises_one_exception(hq_server, till):
    other = enrol_till(hq_server, "S002")
    post(till, 5000)
    assert till.push().status_code == 200
    post(till, -4000, receipt_no="S001-A")  # both tills knew €50.00 and took €40.00
    crossing = post(other, -4000, receipt_no="S002-B")
    post(other, -500, receipt_no="S002-C")  # further below zero: the same problem, no new one
    assert till.push().status_code == 200 and other.push().status_code == 200
    assert other.push().json()["duplicates"] == 2

    assert balance(hq_server.database_url) == 5000 - 8500  # applied, never clamped
    (kind, key, details, resolved), = exceptions(hq_server.database_url)
    assert kind == "negative_gift_card" and resolved is None
    assert key == f"negative_gift_card:{crossing.event_id}"  # the posting that crossed zero
    assert details["card"] == "****0013" and details["balance_after"] == -3000
    assert details["receipt_no"] == "S002-B"


def test_the_negative_card_exception_is_resolved_with_who_and_why(hq_server, till, hq_login):
    post(till, 1000)
    post(till, -1500)
    assert till.push().status_code == 200
    admin = hq_login("admin")
    listed = get_json(hq_server, "/api/v1/exceptions?kind=negative_gift_card", admin)
    (row,) = listed["exceptions"]
    with signed_in(hq_server, *ADMIN) as page:
        assert "Gift card below zero: ****0013 at S001 — -€5.00" in page.get("/exceptions").text
        assert page.get("/today").status_code == 200
    reply = httpx.post(f"{hq_server.url}/api/v1/exceptions/{row['id']}/resolve", headers=admin,
                       json={"resolution": "customer paid the difference", "note": "€5 cash"})
    assert reply.status_code == 200, reply.text
    (_, _, _, resolved), = exceptions(hq_server.database_url)
    assert resolved is not None


def test_a_card_sold_at_one_store_reaches_every_till_with_what_it_counts(hq_server, till):
    other = enrol_till(hq_server, "S002")
    loaded = post(till, 2500)
    assert till.push().status_code == 200
    (change,) = card_changes(other)
    assert (change["card_number"], change["balance_minor"], change["kind"]) == (CARD, 2500,
                                                                             "gift_card")
    assert change["counted_seq"] == {till.device_id: loaded.seq}


def test_the_lookup_api_gives_balance_and_history_to_the_roles_that_serve_customers(
        hq_server, till, hq_login):
    post(till, 3000, receipt_no="S001-1")
    post(till, -1000, receipt_no="S001-2")
    assert till.push().status_code == 200
    spaced = f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"
    card = get_json(hq_server, f"/api/v1/gift-cards/{spaced}", hq_login("store_manager"))
    assert (card["balance_minor"], card["masked"], card["first_store"]) == (2000, "****0013",
                                                                           "S001")
    assert [(h["reason"], h["delta_minor"], h["balance_after"]) for h in card["history"]] == [
        ("redeem", -1000, 2000), ("load", 3000, 3000)]
    bad = httpx.get(f"{hq_server.url}/api/v1/gift-cards/1234", headers=hq_login("admin"))
    assert bad.status_code == 422 and "16 digits" in bad.json()["detail"]
    unsold = "603600000000002" + luhn_check_digit("603600000000002")
    missing = httpx.get(f"{hq_server.url}/api/v1/gift-cards/{unsold}", headers=hq_login("admin"))
    assert missing.status_code == 404
    refused = httpx.get(f"{hq_server.url}/api/v1/gift-cards/{CARD}", headers=hq_login("buyer"))
    assert refused.status_code == 403


def test_an_adjustment_at_hq_is_audited_reaches_tills_and_cannot_overdraw(hq_server, till,
                                                                          hq_login):
    admin = hq_login("admin")
    url = f"{hq_server.url}/api/v1/gift-cards/{CARD}/adjustments"
    made = httpx.post(url, headers=admin, json={"delta_minor": 2000, "store": "S001",
                                                "note": "goodwill after a complaint"})
    assert made.status_code == 201 and made.json()["balance_minor"] == 2000
    over = httpx.post(url, headers=admin, json={"delta_minor": -2500, "store": "S001",
                                                "note": "oops"})
    assert over.status_code == 422 and "below zero" in over.json()["detail"]
    unexplained = httpx.post(url, headers=admin, json={"delta_minor": 5, "store": "S001",
                                                       "note": " "})
    assert unexplained.status_code == 422
    assert balance(hq_server.database_url) == 2000
    assert [c["balance_minor"] for c in card_changes(till)] == [2000]
    assert scalar(hq_server.database_url, "SELECT count(*) FROM audit_log WHERE action = "
                                          "'gift_card.adjusted'") == 1
