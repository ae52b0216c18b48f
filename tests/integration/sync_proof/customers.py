"""Merge rule 8 in the stateful proof: a customer's details edited at several tills, and the
points a customer earns and spends there, as the tills record them and as the rule reads them."""

from __future__ import annotations

from shared.customer_events import CustomerSaved, LoyaltyPosted
from shared.events import Tender
from shared.journal import JournalEvent
from shared.merge import CustomerVersion, loyalty_balance, replaces_customer
from till.bootstrap import Till
from till.customers import CustomerService
from till.customers.loyalty import POINTS_TENDER

from .helpers import query


def customer_sale(till: Till, customer_id: str, lines: list[tuple[str, int]], points: int) -> None:
    """A sale to the customer, `points` of it paid with points (never more than this till shows
    as the balance, as the sale screen allows), the rest by card."""
    basket = till.sales.new_basket()
    for barcode, quantity in lines:
        basket.add(till.catalog.lookup(barcode), quantity)
    total = basket.total.minor
    shown = CustomerService(till.ledger).get(customer_id).points
    spend = max(0, min(points, shown, total))
    tenders = [Tender(POINTS_TENDER, spend)] if spend else []
    if spend < total:
        tenders.append(Tender("card", total - spend))
    till.sales.complete_sale_with_tenders(basket, tenders, "Ana", customer_id=customer_id)


def newest_details(journals: list[list[JournalEvent]], customer_id: str) -> CustomerVersion:
    """Rule 8 over every till's CustomerSaved of the customer: the last writer by hlc."""
    held = None
    for event in (e for journal in journals for e in journal if e.type == CustomerSaved.TYPE):
        saved = CustomerSaved.from_payload(event.payload)
        if saved.customer_id != customer_id:
            continue
        incoming = CustomerVersion(event.hlc, saved.name.strip(), saved.phone.strip(),
                                   saved.email.strip())
        if replaces_customer(held, incoming):
            held = incoming
    assert held is not None
    return held


def postings(journals: list[list[JournalEvent]], customer_id: str) -> dict[str, int]:
    """Every LoyaltyPosted of the customer in the tills' journals: delta per event id."""
    found = {}
    for event in (e for journal in journals for e in journal if e.type == LoyaltyPosted.TYPE):
        posted = LoyaltyPosted.from_payload(event.payload)
        if posted.customer_id == customer_id:
            found[event.event_id] = posted.delta
    return found


def assert_rule_8_holds(database_url: str, tills: list[Till], journals: list[list[JournalEvent]],
                        customer_id: str) -> None:
    """After everyone synced: HQ and every till show the newest details by hlc and the sum of
    every posting; HQ holds each posting once; each posting that took points out and left HQ's
    balance below zero raised exactly one negative_loyalty exception, and no other did."""
    newest = newest_details(journals, customer_id)
    (row,) = query(database_url, "SELECT hlc, name, phone, email, points_balance FROM customers "
                                 "WHERE id = %s", (customer_id,))
    deltas = postings(journals, customer_id)
    assert CustomerVersion(*row[:4]) == newest
    assert row[4] == loyalty_balance(deltas.values())
    for till in tills:
        seen = CustomerService(till.ledger).get(customer_id)
        assert (seen.name, seen.phone, seen.email, seen.points) == (
            newest.name, newest.phone, newest.email, row[4])
    held = query(database_url, "SELECT event_id::text, delta, balance_after FROM loyalty_postings "
                               "WHERE customer_id = %s", (customer_id,))
    assert sorted((e, d) for e, d, _ in held) == sorted(deltas.items())  # each once
    overdrawn = sorted(e for e, d, after in held if d < 0 and after < 0)
    raised = query(database_url, "SELECT event_id::text, (details->>'balance_after')::bigint "
                                 "FROM exceptions WHERE kind = 'negative_loyalty' "
                                 "AND details->>'customer_id' = %s", (customer_id,))
    assert sorted(e for e, _ in raised) == overdrawn
    after = {e: a for e, _, a in held}
    assert all(after[e] == balance for e, balance in raised)
