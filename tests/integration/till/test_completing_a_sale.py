import subprocess
import sys
import textwrap

import pytest

from shared.events import SaleCompleted
from shared.money import Money
from tests.fixtures.till import BREAD, MILK, OPENING_STOCK
from till.ledger.journal import all_events
from till.ledger.sales import on_hand
from till.sale import (
    Basket,
    Catalog,
    InvalidCode,
    NotForSale,
    SaleService,
    Underpayment,
    UnknownProduct,
)

from .conftest import sell


def counts(ledger):
    conn = ledger.connection()
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("journal", "sales", "sale_lines", "receipts")}


def test_a_completed_sale_records_the_event_sale_lines_and_stock_together(till_ledger):
    sale = sell(till_ledger, MILK["barcodes"][0], MILK["barcodes"][0], "BREAD-WHITE",
                cash_minor=1000)
    assert sale.total == Money(2 * 119 + 249, "EUR") and sale.change == Money(513, "EUR")
    assert sale.receipt_no == "S001-0001-000001"
    payload = SaleCompleted.from_payload(sale.event.payload)
    assert [(ln.sku, ln.quantity) for ln in payload.lines] == [("MILK-1L", 2), ("BREAD-WHITE", 1)]
    assert counts(till_ledger) == {"journal": 1, "sales": 1, "sale_lines": 2, "receipts": 1}
    conn = till_ledger.connection()
    assert on_hand(conn, MILK["product_id"]) == OPENING_STOCK - 2
    assert on_hand(conn, BREAD["product_id"]) == OPENING_STOCK - 1
    assert conn.execute("SELECT local_delta FROM stock WHERE product_id = 'p-milk'").fetchone()[0] == -2


def test_underpayment_is_refused_clearly_and_records_nothing(till_ledger):
    basket = Basket("EUR")
    basket.add(Catalog(till_ledger).lookup("COFFEE-500"))
    with pytest.raises(Underpayment, match=r"Cash €5.00 is less than the total €8.99 — €3.99 more"):
        SaleService(till_ledger).complete_sale(basket, Money(500, "EUR"), "Ana")
    assert counts(till_ledger)["journal"] == 0


def test_an_unknown_barcode_says_what_to_do(till_ledger):
    with pytest.raises(UnknownProduct, match="No product with barcode 4000000000006 — check the "
                                             "code or search by name"):
        Catalog(till_ledger).lookup("4000000000006")


def test_letters_in_a_barcode_looking_code_are_called_out(till_ledger):
    with pytest.raises(InvalidCode, match="digits only"):
        Catalog(till_ledger).lookup("40063813339O1")


def test_a_product_hq_deactivated_is_not_sold(till_ledger):
    with pytest.raises(NotForSale, match="no longer sold"):
        Catalog(till_ledger).lookup("OLD-1")


def test_products_are_found_by_sku_whatever_the_case_and_by_name(till_ledger):
    catalog = Catalog(till_ledger)
    assert catalog.lookup("milk-1l").product_id == "p-milk"
    assert [p.sku for p in catalog.search("bread")] == ["BREAD-WHITE"]


def test_a_failure_inside_the_sale_transaction_leaves_nothing_partial(till_ledger, monkeypatch):
    import till.sale.service as service

    def broken_projection(uow, sale, seq):
        uow.execute("INSERT INTO sales (sale_id, seq, receipt_no, cashier, total_minor, currency, "
                    "paid_minor, change_minor, completed_at) VALUES ('x', ?, 'r', 'c', 1, 'EUR', "
                    "1, 0, 'now')", (seq,))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "record_sale", broken_projection)
    with pytest.raises(RuntimeError, match="disk on fire"):
        sell(till_ledger, "MILK-1L")
    assert counts(till_ledger) == {"journal": 0, "sales": 0, "sale_lines": 0, "receipts": 0}
    assert on_hand(till_ledger.connection(), MILK["product_id"]) == OPENING_STOCK


CRASH_MID_SALE = textwrap.dedent("""
    import os, sys
    import till.sale.service as service
    from till.ledger import Ledger
    from tests.integration.till.conftest import sell

    real = service.record_sale
    def record_then_die(uow, sale, seq):
        real(uow, sale, seq)       # journal row and projections written, not committed
        os._exit(9)                # the power goes out before COMMIT
    service.record_sale = record_then_die
    sell(Ledger.open(sys.argv[1]), "MILK-1L")
""")


def test_a_process_killed_mid_sale_leaves_neither_journal_row_nor_projection(till_ledger):
    sell(till_ledger, "BREAD-WHITE")
    before = counts(till_ledger)
    crashed = subprocess.run([sys.executable, "-c", CRASH_MID_SALE, str(till_ledger.path)],
                             capture_output=True, timeout=30)
    assert crashed.returncode == 9, crashed.stderr.decode()
    assert counts(till_ledger) == before
    assert on_hand(till_ledger.connection(), MILK["product_id"]) == OPENING_STOCK
    assert sell(till_ledger, "MILK-1L").event.seq == 2  # the journal carries on without a gap
    assert [e.seq for e in all_events(till_ledger.connection())] == [1, 2]
